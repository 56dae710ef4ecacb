// The neutral model read from the pet store: what becomes a model, how
// required/optional/nullable, allOf, oneOf, maps, $refs and operations come out.
#include "helpers.hpp"

using codegen::Model;
using codegen::Parameter;
using codegen::Payload;
using codegen::Type;

namespace {

const codegen::Api& pet_store() {
    static const codegen::Api api = helpers::read(helpers::fixture("petstore.yaml"));
    return api;
}

const Model& model(const std::string& name) {
    const Model* found = pet_store().find_model(name);
    if (found == nullptr) FAIL("no model " << name);
    return *found;
}

const codegen::Field& field(const Model& owner, const std::string& json_name) {
    for (const auto& item : owner.fields)
        if (item.json_name == json_name) return item;
    FAIL("no field " << json_name << " in " << owner.name);
    throw std::logic_error("unreachable");
}

const codegen::Operation& operation(const std::string& id) {
    for (const auto& item : pet_store().operations)
        if (item.operation_id == id) return item;
    FAIL("no operation " << id);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("every component schema and every inline object or enum is a named model", "[codegen][model]") {
    std::vector<std::string> names;
    for (const auto& item : pet_store().models) names.push_back(item.name);
    // Components first, in document order; inline ones as they are met.
    CHECK(names == std::vector<std::string>{"PetStatus", "NewPet", "Pet", "Owner", "Category", "PetPage", "Payment",
                                            "Order", "Error", "PetVaccinationsItem", "PetVaccinationsItemVet",
                                            "OwnerAddress", "PaymentOption1", "PaymentOption2", "OrderStatus",
                                            "OrderLinesItem", "PatchPetRequest", "ListPetPhotosSize",
                                            "ListPetPhotosResponseItem"});
    CHECK(pet_store().title == "Pet Store");
    CHECK(pet_store().version == "2.1.0");
    CHECK(pet_store().server_url == "https://api.petstore.example.com/v2");
}

TEST_CASE("allOf merges the referenced model's fields and the required lists", "[codegen][model]") {
    const Model& pet = model("Pet");
    REQUIRE(pet.kind == Model::Kind::object);
    std::vector<std::string> fields;
    for (const auto& item : pet.fields) fields.push_back(item.json_name + (item.required ? "!" : "?"));
    CHECK(fields == std::vector<std::string>{"name!", "status?", "tags?", "category?", "attributes?", "id!",
                                             "createdAt!", "owner?", "vaccinations?"});
    CHECK(pet.description == "A pet in the store.");
}

TEST_CASE("types: refs, cycles, arrays, maps, enums, nullable and unions", "[codegen][model]") {
    const Model& owner = model("Owner");
    const Type& pets = *field(owner, "pets").type;
    REQUIRE(pets.kind == Type::Kind::array);
    CHECK(pets.item->kind == Type::Kind::model);
    CHECK(pets.item->model == "Pet");  // the Pet -> Owner -> Pet cycle is a reference by name
    CHECK(field(owner, "email").type->nullable);
    CHECK(field(owner, "address").type->model == "OwnerAddress");
    CHECK(field(model("Category"), "parent").type->model == "Category");

    const Type& attributes = *field(model("NewPet"), "attributes").type;
    CHECK(attributes.kind == Type::Kind::map);
    CHECK(attributes.item->kind == Type::Kind::string);

    const Model& status = model("PetStatus");
    CHECK(status.kind == Model::Kind::enumeration);
    CHECK(status.literals == std::vector<std::string>{"\"available\"", "\"pending\"", "\"sold\""});

    const Model& vet = model("PetVaccinationsItemVet");
    CHECK(vet.kind == Model::Kind::object);
    CHECK(field(model("PetVaccinationsItem"), "vet").type->nullable);

    const Model& payment = model("Payment");
    REQUIRE(payment.kind == Model::Kind::alias);
    REQUIRE(payment.target->kind == Type::Kind::one_of);
    CHECK(payment.target->alternatives.size() == 2);
    CHECK(payment.target->alternatives[1]->model == "PaymentOption2");
}

TEST_CASE("operations: ids, parameters merged from the path item, bodies and responses", "[codegen][model]") {
    CHECK(pet_store().operations.size() == 13);
    const auto& list = operation("listPets");
    CHECK(list.method == "GET");
    REQUIRE(list.parameters.size() == 4);
    CHECK(list.parameters[0].name == "limit");  // through #/components/parameters/Limit
    CHECK(list.parameters[1].type->kind == Type::Kind::array);
    CHECK(list.parameters[3].in == Parameter::In::header);
    CHECK(list.response->model == "PetPage");
    CHECK(list.body_payload == Payload::none);

    const auto& get = operation("getPet");
    REQUIRE(get.parameters.size() == 2);
    CHECK(get.parameters[0].name == "petId");  // declared on the path item
    CHECK(get.parameters[0].in == Parameter::In::path);
    CHECK(get.parameters[0].required);

    const auto& create = operation("createPet");
    CHECK(create.body_payload == Payload::json);
    CHECK(create.body_required);
    CHECK(create.body->model == "NewPet");   // through #/components/requestBodies/NewPet
    CHECK(create.response->model == "Pet");  // 201

    const auto& patch = operation("patchPet");
    CHECK(patch.body_media_type == "application/merge-patch+json");
    CHECK(patch.body->model == "PatchPetRequest");

    CHECK(operation("deletePet").response_payload == Payload::none);
    CHECK(operation("addPetNote").body_payload == Payload::text);
    CHECK(operation("addPetNote").response_payload == Payload::text);
    CHECK(operation("getInventory").response->kind == Type::Kind::map);
    CHECK(operation("listPetPhotos").parameters[1].type->model == "ListPetPhotosSize");
    CHECK(operation("get-order-by-id").path == "/store/orders/{orderId}");
}

TEST_CASE("an operation without an id gets one from its method and path", "[codegen][model]") {
    const auto api = helpers::read(
        "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n"
        "  /users/{userId}/keys:\n    parameters: [{name: userId, in: path, required: true, schema: {type: string}}]\n"
        "    get: {responses: {'204': {description: x}}}\n    post: {responses: {'204': {description: x}}}\n");
    REQUIRE(api.operations.size() == 2);
    CHECK(api.operations[0].operation_id == "getUsersKeysByUserId");
    CHECK(api.operations[1].operation_id == "postUsersKeysByUserId");
}

TEST_CASE("cookie parameters are reported as warnings", "[codegen][model]") {
    const auto api = helpers::read(
        "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n  /upload:\n    post:\n"
        "      parameters: [{name: session, in: cookie, schema: {type: string}}]\n"
        "      responses: {'204': {description: x}}\n");
    REQUIRE(api.warnings.size() == 1);
    CHECK_THAT(api.warnings[0], Catch::Contains("cookie parameter 'session'"));
    CHECK(api.operations[0].parameters.empty());
}

TEST_CASE("form, multipart and binary request bodies keep their encoding", "[codegen][model]") {
    const auto api = helpers::read(
        "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n"
        "  /form:\n    post:\n      requestBody: {content: {application/x-www-form-urlencoded: {schema: {type: "
        "object, properties: {a: {type: string}}}}}}\n      responses: {'204': {description: x}}\n"
        "  /upload:\n    post:\n      requestBody: {content: {multipart/form-data: {schema: {type: object, "
        "properties: {file: {type: string, format: binary}, note: {type: string}}}}}}\n"
        "      responses: {'204': {description: x}}\n"
        "  /raw:\n    put:\n      requestBody: {content: {application/octet-stream: {schema: {type: string, "
        "format: binary}}}}\n      responses: {'204': {description: x}}\n"
        // JSON wins when an operation offers it next to a form.
        "  /both:\n    post:\n      requestBody: {content: {multipart/form-data: {schema: {type: object}}, "
        "application/json: {schema: {type: object}}}}\n      responses: {'204': {description: x}}\n");
    CHECK(api.warnings.empty());
    REQUIRE(api.operations.size() == 4);
    CHECK(api.operations[0].body_payload == codegen::Payload::form);
    CHECK(api.operations[0].body_media_type == "application/x-www-form-urlencoded");
    CHECK(api.operations[1].body_payload == codegen::Payload::multipart);
    const codegen::Model* upload = api.find_model(api.operations[1].body->model);
    REQUIRE(upload != nullptr);
    CHECK(upload->fields[0].type->kind == codegen::Type::Kind::binary);
    CHECK(api.operations[2].body_payload == codegen::Payload::binary);
    CHECK(api.operations[2].body_media_type == "application/octet-stream");
    CHECK(api.operations[2].body->kind == codegen::Type::Kind::binary);
    CHECK(api.operations[3].body_payload == codegen::Payload::json);
}

TEST_CASE("an empty enum is unconstrained, with a warning naming it", "[codegen][model]") {
    const auto api = helpers::read(
        R"({"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"features": {"type": "string", )"
        R"("enum": []}, "holder": {"type": "object", "properties": {"level": {"type": "integer", "enum": []}}}}})");
    const codegen::Model* features = api.find_model("Features");
    REQUIRE(features != nullptr);
    CHECK(features->kind == codegen::Model::Kind::alias);
    CHECK(features->target->kind == codegen::Type::Kind::string);
    const codegen::Model* holder = api.find_model("Holder");
    REQUIRE(holder != nullptr);
    CHECK(holder->fields[0].type->kind == codegen::Type::Kind::integer);
    REQUIRE(api.warnings.size() == 2);
    CHECK_THAT(api.warnings[0], Catch::Contains("/definitions/features/enum: empty enum"));
    CHECK_THAT(api.warnings[1], Catch::Contains("/definitions/holder/properties/level/enum: empty enum"));
}

TEST_CASE("JSON Schema features of real schemas: patternProperties, tuples, const, boolean schemas, $defs",
          "[codegen][model]") {
    const auto api = helpers::read(R"({
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$defs": {
        "jobs": {"type": "object", "patternProperties": {"^[a-z]+$": {"$ref": "#/$defs/job"}}, "additionalProperties": false},
        "job": {"type": "object", "properties": {"kind": {"const": "build"}, "extra": true}, "patternProperties": {"^x-": {"type": "string"}}},
        "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
        "anything": true,
        "tagged": {"type": "string", "anyOf": [{"pattern": "^a"}, {"pattern": "^b"}]}
      }
    })");
    CHECK(api.warnings.empty());
    const codegen::Model* jobs = api.find_model("Jobs");
    REQUIRE(jobs != nullptr);
    REQUIRE(jobs->target->kind == codegen::Type::Kind::map);
    CHECK(jobs->target->item->kind == codegen::Type::Kind::model);
    CHECK(jobs->target->item->model == "Job");
    const codegen::Model* job = api.find_model("Job");
    REQUIRE(job != nullptr);
    CHECK(job->extra_properties);  // the x- members
    CHECK(job->fields[0].type->kind == codegen::Type::Kind::literals);
    CHECK(job->fields[0].type->literals == std::vector<std::string>{"\"build\""});
    CHECK(job->fields[1].type->kind == codegen::Type::Kind::any);
    const codegen::Model* pair = api.find_model("Pair");
    REQUIRE(pair != nullptr);
    REQUIRE(pair->target->item->kind == codegen::Type::Kind::one_of);
    CHECK(pair->target->item->alternatives.size() == 2);
    CHECK(api.find_model("Anything")->target->kind == codegen::Type::Kind::any);
    // Alternatives that only constrain keep the declared type.
    const codegen::Model* tagged = api.find_model("Tagged");
    REQUIRE(tagged != nullptr);
    REQUIRE(tagged->target->kind == codegen::Type::Kind::one_of);
    CHECK(tagged->target->alternatives[0]->kind == codegen::Type::Kind::string);
}

TEST_CASE("OpenAPI 3.1 type arrays give nullable types", "[codegen][model]") {
    const auto api = helpers::read(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\ncomponents:\n  schemas:\n"
        "    A: {type: object, properties: {n: {type: [string, 'null']}, m: {type: [string, integer]}}}\n");
    const Model& a = api.models.at(0);
    CHECK(a.fields[0].type->kind == Type::Kind::string);
    CHECK(a.fields[0].type->nullable);
    CHECK(a.fields[1].type->kind == Type::Kind::one_of);
    CHECK(api.operations.empty());
}

TEST_CASE("explode: false on a query array is kept for the emitters", "[codegen][model]") {
    const auto api = helpers::read(helpers::fixture("awkward.json"));
    const auto& get = *std::find_if(api.operations.begin(), api.operations.end(),
                                    [](const auto& item) { return item.operation_id == "getPet"; });
    auto tags = std::find_if(get.parameters.begin(), get.parameters.end(),
                             [](const auto& item) { return item.name == "tags"; });
    REQUIRE(tags != get.parameters.end());
    CHECK_FALSE(tags->explode);
    CHECK(get.parameters.front().explode);
    const auto generated = helpers::generate_spec(helpers::fixture("awkward.json"), R"("language":"typescript")");
    CHECK_THAT(helpers::artifact(generated, "typescript/api_123_awkward_names_api/client.ts").content,
               Catch::Contains("\"tags\": params.tags?.join(\",\")"));
}
