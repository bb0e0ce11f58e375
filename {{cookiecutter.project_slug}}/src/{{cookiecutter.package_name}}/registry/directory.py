"""The merged OpenAPI document of the registered services: for each service name, the document
of its first passing instance that has one (by id), fetched concurrently; a service whose
document cannot be had is named in ``x-registry-unavailable`` with the reason, never a 500."""

import asyncio

from .catalog import Catalog, Entry
from .checks import HealthChecker
from .documents import Document, DocumentError, OpenApiDocuments
from .openapi import merge
from .schemas import Status


class ApiDirectory:
    def __init__(
        self,
        catalog: Catalog,
        checks: HealthChecker,
        documents: OpenApiDocuments,
        title: str,
        version: str,
    ) -> None:
        self.catalog = catalog
        self.checks = checks
        self.documents = documents
        self.title = title
        self.version = version

    async def merged(self) -> Document:
        by_name: dict[str, list[Entry]] = {}
        for entry in self.catalog.find(status=Status.PASSING):
            by_name.setdefault(entry.registration.name, []).append(entry)
        self.documents.keep_only(
            {str(entry.registration.openapi_url) for entry in self.catalog.find()}
        )
        names = sorted(by_name)
        results = await asyncio.gather(*(self._document(by_name[name]) for name in names))
        documents = {
            name: doc for name, doc in zip(names, results, strict=True) if isinstance(doc, dict)
        }
        unavailable = {
            name: why for name, why in zip(names, results, strict=True) if isinstance(why, str)
        }
        return merge(documents, unavailable, self.title, self.version)

    async def _document(self, instances: list[Entry]) -> Document | str:
        """The first document one of ``instances`` gives, or why none did."""
        reasons = []
        for entry in instances:
            url = entry.registration.openapi_url
            if url is None:
                continue
            try:
                return await self.documents.get(
                    self.checks.client, str(url), entry.registration.timeout
                )
            except DocumentError as error:
                reasons.append(f"{entry.id}: {error}")
        return "; ".join(reasons) or "no instance registered an openapi_url"
