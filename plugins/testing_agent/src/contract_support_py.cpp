// The standard-library runtime of every generated contract suite: HTTP
// calls with urllib and a JSON Schema check (the keywords OpenAPI 3.0 and
// 3.1 schemas use) against the document kept next to it as openapi.json.
#include "contract_support_py.hpp"

namespace testgen {

const char* const contract_support_py = R"~~(""" Support for the generated contract tests: HTTP calls with the standard
library and JSON Schema checks of every response against openapi.json.

API_BASE_URL overrides the server to test; API_TIMEOUT the seconds per call.
"""
import json
import math
import os
import re
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "openapi.json"), encoding="utf-8") as spec_file:
    SPEC = json.load(spec_file)
BASE_URL = os.environ.get("API_BASE_URL", DEFAULT_BASE_URL).rstrip("/")
TIMEOUT = float(os.environ.get("API_TIMEOUT", "10"))
NO_BODY = object()


class Reply:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.text = raw.decode("utf-8", "replace")
        try:
            self.json = json.loads(self.text) if self.text.strip() else NO_BODY
        except ValueError:
            self.json = NO_BODY


def call(method, path, path_params=None, query=None, headers=None, body=NO_BODY):
    """Sends one request; any HTTP status is a Reply, never an exception."""
    target = path
    for name, value in (path_params or {}).items():
        target = target.replace("{" + name + "}", urllib.parse.quote(str(value), safe=""))
    url = BASE_URL + target
    if query:
        url += "?" + urllib.parse.urlencode(query, doseq=True)
    sent = {"Accept": "application/json"}
    sent.update({k: str(v) for k, v in (headers or {}).items()})
    data = None
    if body is not NO_BODY:
        data = json.dumps(body).encode("utf-8")
        sent["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


def resolve(schema):
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 32:
        node = SPEC
        for token in schema["$ref"].lstrip("#/").split("/"):
            token = urllib.parse.unquote(token).replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        schema, seen = node, seen + 1
    return schema


def _type_ok(value, name):
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool) or (
            isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and not (
            isinstance(value, float) and (math.isnan(value) or math.isinf(value)))
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    return True


def errors_of(value, schema, where="$"):
    """What makes `value` fail `schema` (empty when it conforms)."""
    schema = resolve(schema)
    if schema is True or schema is None or schema == {}:
        return []
    if schema is False:
        return ["%s: no value is allowed here" % where]
    errors = []
    if value is None and schema.get("nullable") is True:
        return []
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_type_ok(value, name) for name in names):
            return ["%s: expected %s, got %s" % (where, " or ".join(names), type(value).__name__)]
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %r is not one of %r" % (where, value, schema["enum"]))
    if "const" in schema and value != schema["const"]:
        errors.append("%s: must be %r" % (where, schema["const"]))
    for part in schema.get("allOf", []):
        errors.extend(errors_of(value, part, where))
    if "anyOf" in schema and all(errors_of(value, part, where) for part in schema["anyOf"]):
        errors.append("%s: matches none of anyOf" % where)
    if "oneOf" in schema:
        matching = sum(1 for part in schema["oneOf"] if not errors_of(value, part, where))
        if matching != 1:
            errors.append("%s: matches %d of oneOf, not exactly one" % (where, matching))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append("%s: %r is below the minimum %r" % (where, value, schema["minimum"]))
        if "maximum" in schema and value > schema["maximum"]:
            errors.append("%s: %r is above the maximum %r" % (where, value, schema["maximum"]))
        low, high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if isinstance(low, (int, float)) and not isinstance(low, bool) and value <= low:
            errors.append("%s: %r must be above %r" % (where, value, low))
        if isinstance(high, (int, float)) and not isinstance(high, bool) and value >= high:
            errors.append("%s: %r must be below %r" % (where, value, high))
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append("%s: shorter than %d" % (where, schema["minLength"]))
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append("%s: longer than %d" % (where, schema["maxLength"]))
        if "pattern" in schema and re.search(schema["pattern"], value) is None:
            errors.append("%s: %r does not match %s" % (where, value, schema["pattern"]))
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append("%s: fewer than %d items" % (where, schema["minItems"]))
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append("%s: more than %d items" % (where, schema["maxItems"]))
        if "items" in schema and isinstance(schema["items"], (dict, bool)):
            for index, item in enumerate(value):
                errors.extend(errors_of(item, schema["items"], "%s[%d]" % (where, index)))
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append("%s: required member '%s' is missing" % (where, name))
        for name, member in value.items():
            if name in properties:
                errors.extend(errors_of(member, properties[name], "%s.%s" % (where, name)))
            elif schema.get("additionalProperties") is False:
                errors.append("%s: member '%s' is not allowed" % (where, name))
            elif isinstance(schema.get("additionalProperties"), dict):
                errors.extend(errors_of(member, schema["additionalProperties"], "%s.%s" % (where, name)))
    return errors


def declared_response(method, path, status):
    responses = resolve(SPEC["paths"][path]).get(method.lower(), {}).get("responses", {})
    for key in (str(status), "%dXX" % (status // 100), "%dxx" % (status // 100), "default"):
        if key in responses:
            return resolve(responses[key])
    return None


def json_schema(response):
    for media_type, content in (resolve(response).get("content") or {}).items():
        if media_type.startswith("application/json") or media_type.endswith("+json") or media_type == "*/*":
            return resolve(content).get("schema")
    return None


def check(operation, method, path, reply, expected=None, declared=True):
    """Fails, naming the operation, when the status is not one expected (or
    not declared by the spec, with declared=True) or the JSON body does not
    match the schema declared for that status."""
    where = "%s (%s %s)" % (operation, method, path)
    if expected is not None and reply.status not in expected:
        raise AssertionError("%s: status %d, expected %s; body: %s" % (
            where, reply.status, " or ".join(str(s) for s in sorted(expected)), reply.text[:300]))
    response = declared_response(method, path, reply.status)
    if response is None:
        if declared:
            raise AssertionError("%s: status %d is not declared in the spec" % (where, reply.status))
        return reply
    schema = json_schema(response)
    if schema is not None and reply.status != 204 and method != "HEAD":
        if reply.json is NO_BODY:
            raise AssertionError("%s: status %d body is not JSON: %r" % (where, reply.status, reply.text[:300]))
        errors = errors_of(reply.json, schema)
        if errors:
            raise AssertionError("%s: status %d body does not match its schema: %s" % (
                where, reply.status, "; ".join(errors[:10])))
    return reply


def create(operation, method, path, body, id_member):
    """Creates a resource for a test that needs one; returns its id."""
    reply = check(operation, method, path, call(method, path, body=body))
    if not 200 <= reply.status < 300 or not isinstance(reply.json, dict) or id_member not in reply.json:
        raise AssertionError("%s (%s %s): could not create a resource to test with: %d %s" % (
            operation, method, path, reply.status, reply.text[:300]))
    return reply.json[id_member]
)~~";

}  // namespace testgen
