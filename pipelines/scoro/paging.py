"""Page-number pagination for Scoro's `list`, which sends no total (a dlt paginator)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests import Request, Response

from pipelines.scoro.envelope import ScoroAPIError

logger = logging.getLogger("scoro_warehouse.client")

MAX_PER_PAGE = 100


class ListingError(ScoroAPIError):
    """A listing the loader cannot trust (pages that repeat or never end): the module stops."""


def record_key_for_paging(record: Any, key_of: Callable[[dict[str, Any]], Any]) -> Any:
    """An identity for a listed record: its typed key, else a fingerprint (records without a
    usable key must still be recognised when a page repeats)."""
    key = key_of(record) if isinstance(record, dict) else None
    if key is not None:
        return key
    text = json.dumps(record, sort_keys=True, default=str)
    return ("unkeyed", hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest())


@dataclass
class PagingKnowledge:
    """What this server was seen to do with `per_page` (kept in the pipeline's state)."""

    honours_per_page: bool = False  # a page of MAX_PER_PAGE records came back once
    cap: int | None = None  # the server's own page size, learned from a listing


class ScoroPaginator(BasePaginator):
    """Page numbers in the JSON body. Scoro sends no total: a page shorter than `per_page` is
    the last one, except that a first page shorter than asked may be the server's own cap
    (issue 8 #7): then the next page is asked at that size, and if it holds new records the
    cap is learned and paging goes on. A page whose every record was already listed is a
    server that repeats itself: the listing stops with an error, never loops."""

    def __init__(
        self,
        *,
        module: str,
        start_page: int,
        key_of: Callable[[dict[str, Any]], Any],
        knowledge: PagingKnowledge,
        max_pages: int,
    ) -> None:
        super().__init__()
        self.module = module
        self.page = start_page
        self.per_page = knowledge.cap or MAX_PER_PAGE
        self.knowledge = knowledge
        self.key_of = key_of
        self.max_pages = max_pages
        self.pages_read = 0
        self.seen: set[Any] = set()
        self.probing = False
        self.current_page = start_page  # the page number of the data just read

    def init_request(self, request: Request) -> None:
        self._set(request)

    def _set(self, request: Request) -> None:
        request.json = {**(request.json or {}), "page": self.page, "per_page": self.per_page}

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        data = data or []
        self.current_page = self.page
        self.pages_read += 1
        keys = [record_key_for_paging(record, self.key_of) for record in data]
        new = [key for key in keys if key not in self.seen]
        if not data:
            self._has_next_page = False
            return
        if not new:
            if self.probing:
                # the server ignores `page`: the short first page was the whole listing
                self._has_next_page = False
                return
            raise ListingError(
                f"{self.module}: page {self.page} repeats records already listed on earlier "
                f"pages (the server does not page on); stopped the listing after "
                f"{self.pages_read} pages",
                status=None,
                response=response,
            )
        self.seen.update(new)
        if self.probing:
            # the probe found more records: the first page was the server's cap
            self.knowledge.cap = self.per_page
            self.probing = False
            logger.warning(
                "%s: the server answers at most %d records a page (asked %d); paging on at %d",
                self.module,
                self.per_page,
                MAX_PER_PAGE,
                self.per_page,
            )
        if self.pages_read >= self.max_pages:
            raise ListingError(
                f"{self.module}: the listing passed {self.max_pages} pages, more than the "
                f"expected size allows (raise --max-pages if the account really is this big); "
                f"stopped at page {self.page}",
                status=None,
                response=response,
            )
        if len(data) >= self.per_page:
            if self.per_page == MAX_PER_PAGE:
                self.knowledge.honours_per_page = True
            self.page += 1
            return
        first_page_unknown_server = (
            self.page == 1
            and self.per_page == MAX_PER_PAGE
            and not self.knowledge.honours_per_page
            and self.knowledge.cap is None
        )
        if first_page_unknown_server:
            self.probing = True
            self.per_page = len(data)
            self.page += 1
            return
        self._has_next_page = False

    def update_request(self, request: Request) -> None:
        self._set(request)
