#include <devkit/kubernetes_conventions.hpp>

#include "targets.hpp"

namespace terraform {

Module generate(const devkit::RepositoryContext& context, const Options& options) {
    if (context.services.empty()) throw InputError("the repository context has no services to deploy");
    if (options.target != "ecs" && options.target != "kubernetes")
        throw InputError("context.target must be ecs or kubernetes, not '" + options.target + "'");
    if (!devkit::kubernetes::is_dns_label(options.project) || options.project.size() > 20)
        throw InputError("context.project must be a DNS label of at most 20 characters (it prefixes every name), not '" +
                         options.project + "'");
    Module module;
    const auto plans = detail::plan_services(context, options, module.notes);
    Module written = options.target == "ecs" ? detail::ecs_module(plans, options) : detail::kubernetes_module(plans, options);
    written.notes.insert(written.notes.begin(), module.notes.begin(), module.notes.end());
    // A module that refers to something it does not declare is never answered.
    const ReferenceReport report = check_references(written.files);
    if (!report.ok()) {
        std::string what;
        for (const auto& name : report.undeclared_variables) what += " var." + name;
        for (const auto& name : report.unresolved_references) what += " " + name;
        throw std::logic_error("terraform_generator wrote unresolved references:" + what);
    }
    return written;
}

}  // namespace terraform
