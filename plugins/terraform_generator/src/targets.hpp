// The two targets' module writers.
#pragma once

#include "common.hpp"

namespace terraform::detail {

Module ecs_module(const std::vector<ServicePlan>& plans, const Options& options);
Module kubernetes_module(const std::vector<ServicePlan>& plans, const Options& options);

}  // namespace terraform::detail
