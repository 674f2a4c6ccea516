"""The outlet gazetteer: news outlets and official channels, loaded from pipeline/data/.

CONTRACT (used by the attribute and tag stages):
    gazetteer() -> Gazetteer                      (cached; loads pipeline/data/outlets.jsonl)
    Gazetteer.by_domain(url_or_host) -> OutletEntry | None
    Gazetteer.by_name(name) -> OutletEntry | None  (canonical name, alias or abbreviation)
    Gazetteer.find(text) -> list[tuple[int, int, OutletEntry]]  (non-overlapping mentions)
"""
