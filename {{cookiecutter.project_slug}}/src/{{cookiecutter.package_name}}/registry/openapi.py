"""One OpenAPI document for many services: each service's paths under ``/{name}``, and its
operation ids, tags and components (schemas, responses, parameters, security schemes, ...)
renamed ``{name}__{original}``, with every ``$ref`` and security requirement rewritten to match.
Names never hold ``__`` (a registered name is a slug without it), so two services' renamed
components never collide, whatever they were called.
"""

from collections.abc import Mapping
from typing import Any, Final

OPENAPI_VERSION: Final = "3.1.0"
SEPARATOR: Final = "__"
COMPONENTS_REF: Final = "#/components/"
# Where a document keeps operations, under each path.
METHODS: Final = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

Document = dict[str, Any]


def renamed(service: str, name: str) -> str:
    return f"{service}{SEPARATOR}{name}"


def _rewrite_refs(node: Any, service: str) -> Any:
    """A copy of ``node`` whose local component references point at the renamed components."""
    if isinstance(node, dict):
        copy = {key: _rewrite_refs(value, service) for key, value in node.items()}
        ref = copy.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENTS_REF):
            kind, _, name = ref.removeprefix(COMPONENTS_REF).partition("/")
            copy["$ref"] = f"{COMPONENTS_REF}{kind}/{renamed(service, name)}"
        return copy
    if isinstance(node, list):
        return [_rewrite_refs(item, service) for item in node]
    return node


def _rename_security(requirements: list[dict[str, Any]], service: str) -> list[dict[str, Any]]:
    # Requirements name security schemes by key, not by $ref.
    return [
        {renamed(service, scheme): scopes for scheme, scopes in requirement.items()}
        for requirement in requirements
    ]


def _operation(operation: dict[str, Any], service: str, security: Any) -> dict[str, Any]:
    operation = _rewrite_refs(operation, service)
    if "operationId" in operation:
        operation["operationId"] = renamed(service, operation["operationId"])
    operation["tags"] = [f"{service}/{tag}" for tag in operation.get("tags", [])] or [service]
    requirements = operation.get("security", security)
    if requirements is not None:
        operation["security"] = _rename_security(requirements, service)
    return operation


def merge(
    documents: Mapping[str, Document],
    unavailable: Mapping[str, str],
    title: str,
    version: str,
) -> Document:
    """The services' ``documents`` (by service name) as one; ``unavailable`` (name -> why)
    lists those whose document could not be had."""
    paths: dict[str, Any] = {}
    components: dict[str, dict[str, Any]] = {}
    tags: list[dict[str, Any]] = []
    services: dict[str, Any] = {}
    for service in sorted(documents):
        document = documents[service]
        security = document.get("security")  # the default of its operations
        for path, item in document.get("paths", {}).items():
            paths[f"/{service}{path}"] = {
                key: _operation(value, service, security)
                if key in METHODS
                else _rewrite_refs(value, service)
                for key, value in item.items()
            }
        for kind, entries in document.get("components", {}).items():
            merged = components.setdefault(kind, {})
            for name, entry in entries.items():
                merged[renamed(service, name)] = _rewrite_refs(entry, service)
        tags += [
            {**tag, "name": f"{service}/{tag['name']}"}
            for tag in document.get("tags", [])
            if isinstance(tag, dict) and "name" in tag
        ]
        info = document.get("info", {})
        services[service] = {"title": info.get("title"), "version": info.get("version")}
    merged_document: Document = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version},
        "paths": paths,
        "x-registry-services": services,
        "x-registry-unavailable": dict(sorted(unavailable.items())),
    }
    if components:
        merged_document["components"] = components
    if tags:
        merged_document["tags"] = tags
    return merged_document
