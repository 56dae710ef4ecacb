// AWS ECS Fargate: per service an ECR repository, a CloudWatch log group, a
// task definition with the detected port and environment, a service behind
// an Application Load Balancer whose health check probes the detected path,
// and security groups that let only the load balancer reach the tasks. The
// execution role may pull from these repositories, write to these log
// groups and read these secrets, nothing else.
#include "targets.hpp"

#include <sstream>

namespace terraform::detail {
namespace {

std::string versions_tf(const Options& options) {
    return "terraform {\n"
           "  required_version = \">= 1.5.0, < 2.0.0\"\n\n" + backend_block(options) +
           "  required_providers {\n"
           "    aws = {\n"
           "      source  = \"hashicorp/aws\"\n"
           "      version = \"~> 5.60\"\n"
           "    }\n"
           "  }\n"
           "}\n";
}

}  // namespace

Module ecs_module(const std::vector<ServicePlan>& plans, const Options& options) {
    Module module;
    std::ostringstream variables, main, outputs;
    variables << variable_block({"project", "string", "Name prefix of every resource (a DNS label).", quoted(options.project)})
              << variable_block({"aws_region", "string", "AWS region to deploy to.", quoted(options.region)})
              << variable_block({"vpc_id", "string", "VPC the load balancers and tasks run in.", ""})
              << variable_block({"public_subnet_ids", "list(string)", "Subnets of the internet-facing load balancers (two or more zones).", ""})
              << variable_block({"private_subnet_ids", "list(string)", "Subnets of the tasks (with a NAT route to pull images).", ""})
              << variable_block({"allowed_cidrs", "list(string)", "Client networks allowed to reach the load balancers.", "[\"0.0.0.0/0\"]"})
              << variable_block({"image_tag", "string", "Image tag to deploy from each service's ECR repository (immutable tags).", ""})
              << variable_block({"log_retention_days", "number", "Days CloudWatch keeps the services' logs.", "30"});

    main << "provider \"aws\" {\n"
         << "  region = var.aws_region\n\n"
         << "  default_tags {\n"
         << "    tags = {\n"
         << "      project    = var.project\n"
         << "      managed-by = \"terraform\"\n"
         << "    }\n"
         << "  }\n"
         << "}\n\n"
         << "resource \"aws_ecs_cluster\" \"main\" {\n"
         << "  name = var.project\n\n"
         << "  setting {\n"
         << "    name  = \"containerInsights\"\n"
         << "    value = \"enabled\"\n"
         << "  }\n"
         << "}\n\n"
         << "data \"aws_iam_policy_document\" \"ecs_tasks_assume\" {\n"
         << "  statement {\n"
         << "    actions = [\"sts:AssumeRole\"]\n\n"
         << "    principals {\n"
         << "      type        = \"Service\"\n"
         << "      identifiers = [\"ecs-tasks.amazonaws.com\"]\n"
         << "    }\n"
         << "  }\n"
         << "}\n\n"
         << "# Pulls images and writes logs for the tasks (ECS itself, not the app).\n"
         << "resource \"aws_iam_role\" \"execution\" {\n"
         << "  name               = \"${var.project}-execution\"\n"
         << "  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json\n"
         << "}\n\n";

    // The execution role's policy: only these repositories, log groups and secrets.
    std::string repositories, log_groups, secrets;
    for (const auto& plan : plans) {
        repositories += (repositories.empty() ? "" : ", ") + std::string("aws_ecr_repository.") + plan.label + ".arn";
        log_groups += (log_groups.empty() ? "" : ", ") + std::string("\"${aws_cloudwatch_log_group.") + plan.label + ".arn}:*\"";
        for (const auto& env : plan.env)
            if (env.secret) secrets += (secrets.empty() ? "" : ", ") + std::string("var.") + env.variable;
    }
    main << "data \"aws_iam_policy_document\" \"execution\" {\n"
         << "  statement {\n"
         << "    sid       = \"EcrToken\"\n"
         << "    actions   = [\"ecr:GetAuthorizationToken\"]\n"
         << "    resources = [\"*\"]\n"
         << "  }\n\n"
         << "  statement {\n"
         << "    sid       = \"PullOwnImages\"\n"
         << "    actions   = [\"ecr:BatchCheckLayerAvailability\", \"ecr:BatchGetImage\", \"ecr:GetDownloadUrlForLayer\"]\n"
         << "    resources = [" << repositories << "]\n"
         << "  }\n\n"
         << "  statement {\n"
         << "    sid       = \"WriteOwnLogs\"\n"
         << "    actions   = [\"logs:CreateLogStream\", \"logs:PutLogEvents\"]\n"
         << "    resources = [" << log_groups << "]\n"
         << "  }\n";
    if (!secrets.empty())
        main << "\n  statement {\n"
             << "    sid       = \"ReadOwnSecrets\"\n"
             << "    actions   = [\"secretsmanager:GetSecretValue\", \"ssm:GetParameters\"]\n"
             << "    resources = [" << secrets << "]\n"
             << "  }\n";
    main << "}\n\n"
         << "resource \"aws_iam_role_policy\" \"execution\" {\n"
         << "  name   = \"${var.project}-execution\"\n"
         << "  role   = aws_iam_role.execution.id\n"
         << "  policy = data.aws_iam_policy_document.execution.json\n"
         << "}\n\n"
         << "# The application's own role: no permissions until the app needs some.\n"
         << "resource \"aws_iam_role\" \"task\" {\n"
         << "  name               = \"${var.project}-task\"\n"
         << "  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json\n"
         << "}\n\n";

    outputs << "output \"cluster_name\" {\n  description = \"The ECS cluster.\"\n  value       = aws_ecs_cluster.main.name\n}\n\n";

    for (const auto& plan : plans) {
        const std::string& l = plan.label;
        const std::string name = "${var.project}-" + plan.name;
        variables << variable_block({l + "_cpu", "number", "CPU units of one " + plan.name + " task (256 = 1/4 vCPU).", "256"})
                  << variable_block({l + "_memory", "number", "Memory (MiB) of one " + plan.name + " task.", "512"})
                  << variable_block({l + "_desired_count", "number", "Tasks of " + plan.name + " to keep running.", "2"});
        for (const auto& env : plan.env) {
            if (env.secret)
                variables << variable_block({env.variable, "string",
                                             "ARN of the Secrets Manager secret (or SSM parameter) holding " + env.name + " for " +
                                                 plan.name + " (read at " + env.source + ").",
                                             ""});
            else
                variables << variable_block({env.variable, "string", "Value of " + env.name + " for " + plan.name + " (read at " + env.source + ").", ""});
        }
        main << "# ---- " << plan.name << " ----\n\n"
             << "resource \"aws_ecr_repository\" \"" << l << "\" {\n"
             << "  name                 = \"" << name << "\"\n"
             << "  image_tag_mutability = \"IMMUTABLE\"\n\n"
             << "  image_scanning_configuration {\n"
             << "    scan_on_push = true\n"
             << "  }\n"
             << "}\n\n"
             << "resource \"aws_cloudwatch_log_group\" \"" << l << "\" {\n"
             << "  name              = \"/ecs/" << name << "\"\n"
             << "  retention_in_days = var.log_retention_days\n"
             << "}\n\n"
             << "resource \"aws_ecs_task_definition\" \"" << l << "\" {\n"
             << "  family                   = \"" << name << "\"\n"
             << "  requires_compatibilities = [\"FARGATE\"]\n"
             << "  network_mode             = \"awsvpc\"\n"
             << "  cpu                      = var." << l << "_cpu\n"
             << "  memory                   = var." << l << "_memory\n"
             << "  execution_role_arn       = aws_iam_role.execution.arn\n"
             << "  task_role_arn            = aws_iam_role.task.arn\n\n"
             << "  container_definitions = jsonencode([\n"
             << "    {\n"
             << "      name      = " << quoted(plan.name) << "\n"
             << "      image     = \"${aws_ecr_repository." << l << ".repository_url}:${var.image_tag}\"\n"
             << "      essential = true\n"
             << "      portMappings = [\n"
             << "        { containerPort = " << plan.port << ", protocol = \"tcp\" }\n"
             << "      ]\n"
             << "      environment = [\n"
             << "        { name = \"PORT\", value = \"" << plan.port << "\" },\n"
             << "        { name = \"AWS_REGION\", value = var.aws_region },\n";
        for (const auto& env : plan.env)
            if (!env.secret) main << "        { name = " << quoted(env.name) << ", value = var." << env.variable << " },\n";
        main << "      ]\n"
             << "      secrets = [\n";
        for (const auto& env : plan.env)
            if (env.secret) main << "        { name = " << quoted(env.name) << ", valueFrom = var." << env.variable << " },\n";
        main << "      ]\n"
             << "      logConfiguration = {\n"
             << "        logDriver = \"awslogs\"\n"
             << "        options = {\n"
             << "          awslogs-group         = aws_cloudwatch_log_group." << l << ".name\n"
             << "          awslogs-region        = var.aws_region\n"
             << "          awslogs-stream-prefix = " << quoted(plan.name) << "\n"
             << "        }\n"
             << "      }\n"
             << "    }\n"
             << "  ])\n"
             << "}\n\n"
             << "resource \"aws_security_group\" \"" << l << "_alb\" {\n"
             << "  name        = \"" << name << "-alb\"\n"
             << "  description = \"Clients to the " << plan.name << " load balancer\"\n"
             << "  vpc_id      = var.vpc_id\n\n"
             << "  ingress {\n"
             << "    description = \"HTTP from the allowed networks\"\n"
             << "    from_port   = 80\n"
             << "    to_port     = 80\n"
             << "    protocol    = \"tcp\"\n"
             << "    cidr_blocks = var.allowed_cidrs\n"
             << "  }\n\n"
             << "  egress {\n"
             << "    description = \"To the tasks\"\n"
             << "    from_port   = " << plan.port << "\n"
             << "    to_port     = " << plan.port << "\n"
             << "    protocol    = \"tcp\"\n"
             << "    cidr_blocks = [\"0.0.0.0/0\"]\n"
             << "  }\n"
             << "}\n\n"
             << "resource \"aws_security_group\" \"" << l << "_tasks\" {\n"
             << "  name        = \"" << name << "-tasks\"\n"
             << "  description = \"The load balancer to the " << plan.name << " tasks\"\n"
             << "  vpc_id      = var.vpc_id\n\n"
             << "  ingress {\n"
             << "    description     = \"The service port, from the load balancer only\"\n"
             << "    from_port       = " << plan.port << "\n"
             << "    to_port         = " << plan.port << "\n"
             << "    protocol        = \"tcp\"\n"
             << "    security_groups = [aws_security_group." << l << "_alb.id]\n"
             << "  }\n\n"
             << "  egress {\n"
             << "    description = \"Image pulls, backing services, APIs\"\n"
             << "    from_port   = 0\n"
             << "    to_port     = 0\n"
             << "    protocol    = \"-1\"\n"
             << "    cidr_blocks = [\"0.0.0.0/0\"]\n"
             << "  }\n"
             << "}\n\n"
             << "resource \"aws_lb\" \"" << l << "\" {\n"
             << "  name               = substr(\"" << name << "\", 0, 32)\n"
             << "  load_balancer_type = \"application\"\n"
             << "  internal           = false\n"
             << "  security_groups    = [aws_security_group." << l << "_alb.id]\n"
             << "  subnets            = var.public_subnet_ids\n"
             << "}\n\n"
             << "resource \"aws_lb_target_group\" \"" << l << "\" {\n"
             << "  name        = substr(\"" << name << "\", 0, 32)\n"
             << "  port        = " << plan.port << "\n"
             << "  protocol    = \"HTTP\"\n"
             << "  target_type = \"ip\"\n"
             << "  vpc_id      = var.vpc_id\n\n"
             << "  health_check {\n"
             << "    path                = " << quoted(plan.health_path) << "\n"
             << "    matcher             = \"200-399\"\n"
             << "    interval            = 30\n"
             << "    timeout             = 5\n"
             << "    healthy_threshold   = 2\n"
             << "    unhealthy_threshold = 3\n"
             << "  }\n"
             << "}\n\n"
             << "resource \"aws_lb_listener\" \"" << l << "_http\" {\n"
             << "  load_balancer_arn = aws_lb." << l << ".arn\n"
             << "  port              = 80\n"
             << "  protocol          = \"HTTP\"\n\n"
             << "  default_action {\n"
             << "    type             = \"forward\"\n"
             << "    target_group_arn = aws_lb_target_group." << l << ".arn\n"
             << "  }\n"
             << "}\n\n"
             << "resource \"aws_ecs_service\" \"" << l << "\" {\n"
             << "  name            = " << quoted(plan.name) << "\n"
             << "  cluster         = aws_ecs_cluster.main.id\n"
             << "  task_definition = aws_ecs_task_definition." << l << ".arn\n"
             << "  desired_count   = var." << l << "_desired_count\n"
             << "  launch_type     = \"FARGATE\"\n\n"
             << "  network_configuration {\n"
             << "    subnets          = var.private_subnet_ids\n"
             << "    security_groups  = [aws_security_group." << l << "_tasks.id]\n"
             << "    assign_public_ip = false\n"
             << "  }\n\n"
             << "  load_balancer {\n"
             << "    target_group_arn = aws_lb_target_group." << l << ".arn\n"
             << "    container_name   = " << quoted(plan.name) << "\n"
             << "    container_port   = " << plan.port << "\n"
             << "  }\n\n"
             << "  deployment_circuit_breaker {\n"
             << "    enable   = true\n"
             << "    rollback = true\n"
             << "  }\n\n"
             << "  depends_on = [aws_lb_listener." << l << "_http]\n"
             << "}\n\n";
        outputs << "output \"" << l << "_url\" {\n"
                << "  description = \"Where " << plan.name << " answers (HTTP, through its load balancer).\"\n"
                << "  value       = \"http://${aws_lb." << l << ".dns_name}\"\n"
                << "}\n\n"
                << "output \"" << l << "_repository_url\" {\n"
                << "  description = \"ECR repository to push " << plan.name << "'s image to.\"\n"
                << "  value       = aws_ecr_repository." << l << ".repository_url\n"
                << "}\n\n"
                << "output \"" << l << "_log_group\" {\n"
                << "  description = \"CloudWatch log group of " << plan.name << ".\"\n"
                << "  value       = aws_cloudwatch_log_group." << l << ".name\n"
                << "}\n\n";
    }
    const std::string dir = options.directory + "/";
    module.files.push_back({dir + "versions.tf", versions_tf(options), "text/x-hcl"});
    module.files.push_back({dir + "variables.tf", variables.str(), "text/x-hcl"});
    module.files.push_back({dir + "main.tf", main.str(), "text/x-hcl"});
    module.files.push_back({dir + "outputs.tf", outputs.str(), "text/x-hcl"});
    return module;
}

}  // namespace terraform::detail
