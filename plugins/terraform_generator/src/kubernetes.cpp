// Kubernetes through the `kubernetes` provider: a namespace, per service a
// Deployment (non-root, read-only root filesystem, probes on the detected
// health path, resources) and a ClusterIP Service on the detected port.
// Secrets come from an existing Secret by reference, never as values.
#include <sstream>

#include "targets.hpp"

namespace terraform::detail {

Module kubernetes_module(const std::vector<ServicePlan>& plans, const Options& options) {
    Module module;
    std::ostringstream versions, variables, main, outputs;
    versions << "terraform {\n"
             << "  required_version = \">= 1.5.0, < 2.0.0\"\n\n"
             << backend_block(options)
             << "  required_providers {\n"
             << "    kubernetes = {\n"
             << "      source  = \"hashicorp/kubernetes\"\n"
             << "      version = \"~> 2.31\"\n"
             << "    }\n"
             << "  }\n"
             << "}\n";
    variables << variable_block({"project", "string", "Name prefix, and the namespace's name (a DNS label).", quoted(options.project)})
              << variable_block({"kubeconfig_path", "string", "Kubeconfig the provider reads (no credentials live in this module).", "\"~/.kube/config\""})
              << variable_block({"kube_context", "string", "Context of the kubeconfig to use; null: its current context.", "null"})
              << variable_block({"image_registry", "string", "Registry and path the images are pulled from, e.g. registry.example.com/team.", ""})
              << variable_block({"image_tag", "string", "Image tag to deploy (never latest).", ""});
    main << "provider \"kubernetes\" {\n"
         << "  config_path    = var.kubeconfig_path\n"
         << "  config_context = var.kube_context\n"
         << "}\n\n"
         << "resource \"kubernetes_namespace_v1\" \"main\" {\n"
         << "  metadata {\n"
         << "    name = var.project\n"
         << "  }\n"
         << "}\n\n";
    outputs << "output \"namespace\" {\n  description = \"The namespace everything runs in.\"\n  value       = kubernetes_namespace_v1.main.metadata[0].name\n}\n\n";
    for (const auto& plan : plans) {
        const std::string& l = plan.label;
        bool has_secret = false;
        variables << variable_block({l + "_replicas", "number", "Pods of " + plan.name + ".", "2"})
                  << variable_block({l + "_cpu", "string", "CPU request and limit of one " + plan.name + " pod.", "\"250m\""})
                  << variable_block({l + "_memory", "string", "Memory request and limit of one " + plan.name + " pod.", "\"256Mi\""});
        for (const auto& env : plan.env) {
            if (env.secret) {
                has_secret = true;
                continue;
            }
            variables << variable_block({env.variable, "string", "Value of " + env.name + " for " + plan.name + " (read at " + env.source + ").", ""});
        }
        if (has_secret)
            variables << variable_block({l + "_secret_name", "string",
                                         "Existing Secret in the namespace holding " + plan.name + "'s secret variables, one key per variable name.", ""});
        main << "# ---- " << plan.name << " ----\n\n"
             << "resource \"kubernetes_deployment_v1\" \"" << l << "\" {\n"
             << "  metadata {\n"
             << "    name      = " << quoted(plan.name) << "\n"
             << "    namespace = kubernetes_namespace_v1.main.metadata[0].name\n"
             << "    labels = {\n"
             << "      \"app.kubernetes.io/name\" = " << quoted(plan.name) << "\n"
             << "    }\n"
             << "  }\n\n"
             << "  spec {\n"
             << "    replicas = var." << l << "_replicas\n\n"
             << "    selector {\n"
             << "      match_labels = {\n"
             << "        \"app.kubernetes.io/name\" = " << quoted(plan.name) << "\n"
             << "      }\n"
             << "    }\n\n"
             << "    template {\n"
             << "      metadata {\n"
             << "        labels = {\n"
             << "          \"app.kubernetes.io/name\" = " << quoted(plan.name) << "\n"
             << "        }\n"
             << "      }\n\n"
             << "      spec {\n"
             << "        security_context {\n"
             << "          run_as_non_root = true\n"
             << "          run_as_user     = 10001\n"
             << "        }\n\n"
             << "        container {\n"
             << "          name  = " << quoted(plan.name) << "\n"
             << "          image = \"${var.image_registry}/" << plan.name << ":${var.image_tag}\"\n\n"
             << "          port {\n"
             << "            name           = \"http\"\n"
             << "            container_port = " << plan.port << "\n"
             << "          }\n\n"
             << "          env {\n"
             << "            name  = \"PORT\"\n"
             << "            value = \"" << plan.port << "\"\n"
             << "          }\n";
        for (const auto& env : plan.env) {
            main << "\n          env {\n"
                 << "            name = " << quoted(env.name) << "\n";
            if (env.secret)
                main << "\n            value_from {\n"
                     << "              secret_key_ref {\n"
                     << "                name = var." << l << "_secret_name\n"
                     << "                key  = " << quoted(env.name) << "\n"
                     << "              }\n"
                     << "            }\n";
            else
                main << "            value = var." << env.variable << "\n";
            main << "          }\n";
        }
        main << "\n          resources {\n"
             << "            requests = {\n"
             << "              cpu    = var." << l << "_cpu\n"
             << "              memory = var." << l << "_memory\n"
             << "            }\n"
             << "            limits = {\n"
             << "              cpu    = var." << l << "_cpu\n"
             << "              memory = var." << l << "_memory\n"
             << "            }\n"
             << "          }\n\n"
             << "          readiness_probe {\n"
             << "            http_get {\n"
             << "              path = " << quoted(plan.health_path) << "\n"
             << "              port = \"http\"\n"
             << "            }\n"
             << "            period_seconds = 10\n"
             << "          }\n\n"
             << "          liveness_probe {\n"
             << "            http_get {\n"
             << "              path = " << quoted(plan.health_path) << "\n"
             << "              port = \"http\"\n"
             << "            }\n"
             << "            initial_delay_seconds = 15\n"
             << "            period_seconds        = 20\n"
             << "          }\n\n"
             << "          security_context {\n"
             << "            allow_privilege_escalation = false\n"
             << "            read_only_root_filesystem  = true\n"
             << "            capabilities {\n"
             << "              drop = [\"ALL\"]\n"
             << "            }\n"
             << "          }\n\n"
             << "          volume_mount {\n"
             << "            name       = \"tmp\"\n"
             << "            mount_path = \"/tmp\"\n"
             << "          }\n"
             << "        }\n\n"
             << "        volume {\n"
             << "          name = \"tmp\"\n"
             << "          empty_dir {}\n"
             << "        }\n"
             << "      }\n"
             << "    }\n"
             << "  }\n"
             << "}\n\n"
             << "resource \"kubernetes_service_v1\" \"" << l << "\" {\n"
             << "  metadata {\n"
             << "    name      = " << quoted(plan.name) << "\n"
             << "    namespace = kubernetes_namespace_v1.main.metadata[0].name\n"
             << "  }\n\n"
             << "  spec {\n"
             << "    selector = {\n"
             << "      \"app.kubernetes.io/name\" = kubernetes_deployment_v1." << l << ".spec[0].template[0].metadata[0].labels[\"app.kubernetes.io/name\"]\n"
             << "    }\n\n"
             << "    port {\n"
             << "      name        = \"http\"\n"
             << "      port        = 80\n"
             << "      target_port = \"http\"\n"
             << "    }\n"
             << "  }\n"
             << "}\n\n";
        outputs << "output \"" << l << "_service\" {\n"
                << "  description = \"In-cluster address of " << plan.name << ".\"\n"
                << "  value       = \"${kubernetes_service_v1." << l << ".metadata[0].name}.${kubernetes_namespace_v1.main.metadata[0].name}.svc\"\n"
                << "}\n\n";
    }
    const std::string dir = options.directory + "/";
    module.files.push_back({dir + "versions.tf", versions.str(), "text/x-hcl"});
    module.files.push_back({dir + "variables.tf", variables.str(), "text/x-hcl"});
    module.files.push_back({dir + "main.tf", main.str(), "text/x-hcl"});
    module.files.push_back({dir + "outputs.tf", outputs.str(), "text/x-hcl"});
    return module;
}

}  // namespace terraform::detail
