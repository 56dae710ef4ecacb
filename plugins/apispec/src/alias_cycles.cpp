#include <apispec/alias_cycles.hpp>

#include <map>
#include <set>
#include <string>

namespace apispec {
namespace {

class CycleBreaker {
  public:
    explicit CycleBreaker(Api& api) : api_(api) {
        for (std::size_t i = 0; i < api.models.size(); ++i) index_[api.models[i].name] = i;
    }

    void run() {
        for (std::size_t i = 0; i < api_.models.size(); ++i) visit(i);
    }

  private:
    // Depth-first over the alias graph: an alias whose target is being
    // visited further up the stack closes a cycle.
    void visit(std::size_t index) {
        Model& model = api_.models[index];
        if (model.kind != Model::Kind::alias || done_.count(index) > 0) return;
        on_stack_.insert(index);
        bool cut = false;
        model.target = without_back_references(model.target, cut);
        if (cut)
            api_.warnings.push_back(model.location + ": type alias " + model.name +
                                    " refers to itself with no object, array or map in between; that reference is "
                                    "typed as any");
        on_stack_.erase(index);
        done_.insert(index);
    }

    // The type with every eager reference (the type itself, or a union
    // member) to an alias on the stack replaced by any. Array items and map
    // values are deferred in every target language, so the walk stops there.
    TypePtr without_back_references(const TypePtr& type, bool& cut) {
        if (type->kind == Type::Kind::model) {
            auto found = index_.find(type->model);
            if (found == index_.end() || api_.models[found->second].kind != Model::Kind::alias) return type;
            if (on_stack_.count(found->second) > 0) {
                cut = true;
                auto any = std::make_shared<Type>();
                return any;
            }
            visit(found->second);
            return type;
        }
        if (type->kind != Type::Kind::one_of) return type;
        auto copy = std::make_shared<Type>(*type);
        for (auto& alternative : copy->alternatives) alternative = without_back_references(alternative, cut);
        return copy;
    }

    Api& api_;
    std::map<std::string, std::size_t> index_;
    std::set<std::size_t> on_stack_;
    std::set<std::size_t> done_;
};

}  // namespace

void break_alias_cycles(Api& api) { CycleBreaker(api).run(); }

}  // namespace apispec
