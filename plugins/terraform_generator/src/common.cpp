#include "common.hpp"

namespace terraform::detail {

std::vector<ServicePlan> plan_services(const devkit::RepositoryContext& context, const Options& options,
                                       std::vector<std::string>& notes) {
    std::vector<ServicePlan> plans;
    for (const auto& service : context.services) {
        ServicePlan plan;
        plan.name = service.name;
        plan.label = identifier(service.name);
        plan.port = devkit::port_or(service, 8080);
        plan.health_path = service.health_path.found() ? service.health_path.value : "";
        auto image = options.images.find(service.name);
        if (image != options.images.end()) {
            if (image->second.port > 0) plan.port = image->second.port;
            if (!image->second.health_path.empty()) plan.health_path = image->second.health_path;
        }
        // Only URL-path characters reach a health check.
        if (plan.health_path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-._~") !=
                std::string::npos ||
            plan.health_path.empty() || plan.health_path[0] != '/') {
            if (!plan.health_path.empty()) notes.push_back(service.name + ": health path '" + plan.health_path + "' ignored (not a plain URL path)");
            plan.health_path.clear();
        }
        plan.health_known = !plan.health_path.empty();
        if (!plan.health_known) {
            plan.health_path = "/";
            notes.push_back(service.name + ": no health endpoint known; the health check probes / (add one, e.g. /healthz)");
        }
        if (!service.port.found() && image == options.images.end())
            notes.push_back(service.name + ": no port found; " + std::to_string(plan.port) + " assumed");
        for (const auto& env : service.env_vars) {
            if (env.value == "PORT" || env.value == "AWS_REGION" || env.value == "AWS_DEFAULT_REGION") continue;  // set by the module
            EnvVar var;
            var.name = env.value;
            var.secret = is_secret_name(env.value);
            var.variable = plan.label + "_" + identifier(env.value) + (var.secret ? "_secret" : "");
            var.source = env.file + ":" + std::to_string(env.line);
            plan.env.push_back(var);
        }
        for (const auto& backing : service.backing_services) plan.backing_services.push_back(backing.value);
        if (!plan.backing_services.empty()) {
            std::string list;
            for (const auto& backing : plan.backing_services) list += (list.empty() ? "" : ", ") + backing;
            notes.push_back(service.name + " uses " + list +
                            ": this module does not create them; pass their connection settings through the variables");
        }
        plans.push_back(std::move(plan));
    }
    return plans;
}

std::string backend_block(const Options& options) {
    if (options.backend.empty()) return "";
    return "  backend " + quoted(identifier(options.backend)) + " {}\n\n";
}

std::string variable_block(const Variable& variable) {
    std::ostringstream out;
    out << "variable " << quoted(variable.name) << " {\n"
        << "  description = " << quoted(variable.description) << "\n"
        << "  type        = " << variable.type << "\n";
    if (!variable.default_hcl.empty()) out << "  default     = " << variable.default_hcl << "\n";
    if (variable.sensitive) out << "  sensitive   = true\n";
    out << "}\n\n";
    return out.str();
}

}  // namespace terraform::detail
