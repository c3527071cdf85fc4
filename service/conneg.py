"""Content negotiation: pick the best offered media type for an Accept header (RFC 9110 q-values)."""

from __future__ import annotations

from collections.abc import Callable


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first; an absent header accepts anything."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    out: list[tuple[str, float, int]] = []
    for i, part in enumerate(header.split(",")):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if not media:
            continue
        q = 1.0
        for param in bits[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((media, q, i))
    # More specific ranges win ties: type/sub > type/* > */*.
    out.sort(key=lambda m: (-m[1], m[0].count("*"), m[2]))
    return [(m, q) for m, q, _ in out]


def _media_specificity(media_range: str, offer: str) -> int:
    """How specifically ``media_range`` names ``offer`` (type/sub 2, type/* 1, */* 0); -1 when it does not."""
    if media_range not in ("*/*", "*"):
        rtype, _, rsub = media_range.partition("/")
        otype, _, osub = offer.partition("/")
        if rtype != otype or rsub not in ("*", osub):
            return -1
    return 2 - media_range.count("*")


def _language_specificity(tag: str, offer: str) -> int:
    """How specifically a language range names ``offer`` ("da-DK" and "da" both name "da"); -1 when it does not."""
    if tag == "*":
        return 0
    if tag == offer or tag.startswith(offer + "-") or offer.startswith(tag + "-"):
        return len(tag)
    return -1


def _best_offer(ranges: list[tuple[str, float]], offers: list[str],
                specificity: Callable[[str, str], int]) -> str | None:
    """The offer with the highest q (offers order breaks ties), each offer taking the q of the most specific range
    that names it; None when no offer gets a q above 0."""
    best: tuple[float, int, str] | None = None
    for idx, offer in enumerate(offers):
        q_offer = 0.0
        most_specific = -1
        for name, q in ranges:
            spec = specificity(name, offer)
            if spec > most_specific:
                most_specific, q_offer = spec, q
        if q_offer > 0 and (best is None or q_offer > best[0]):
            best = (q_offer, idx, offer)
    return best[2] if best else None


def negotiate(header: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers most (offers order breaks ties); None when nothing acceptable is offered."""
    return _best_offer(parse_accept(header), offers, _media_specificity)


def preferred_language(header: str | None, offers: list[str]) -> str | None:
    """The offered language the client prefers most (RFC 4647 basic filtering: "da-DK" and "da" both accept
    "da"); None when the header is absent or names none of ``offers``."""
    if not header or not header.strip():
        return None
    return _best_offer(parse_accept(header), offers, _language_specificity)
