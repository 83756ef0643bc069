"""The benchmark's table, ratios and targets, from the figures of each size."""

DASHBOARD_STATES = ["dashboard", "dashboard_after_report", "dashboard_after_approval", "dashboard_after_nightly"]
DASHBOARD_STATES += ["dashboard_cold"]
PAGES = [
    *DASHBOARD_STATES,
    "dashboard_past",
    "facility_list",
    "facility_list_filtered",
    "facility_list_search",
    "facility_page",
    "facility_page_officer",
    "review_queue",
]
LIST_AND_PAGE = ["facility_list", "facility_list_filtered", "facility_list_search", "facility_page"]
LIST_AND_PAGE += ["facility_page_officer"]


def figures(size: dict) -> dict[str, float | None]:
    """Flat figures of one size: name -> number (None where not measured)."""
    flat = {}
    for key in PAGES:
        page = size.get("pages", {}).get(key, {})
        for measure in ("median_ms", "p95_ms", "queries"):
            flat[f"{key}.{measure}"] = page.get(measure)
    flat["compliance_recompute.seconds"] = size.get("compliance_recompute", {}).get("seconds")
    export = size.get("export", {})
    flat["export.seconds"] = export.get("seconds") if "error" not in export else None
    flat["export.peak_rss_mb"] = export.get("peak_rss_mb") if "error" not in export else None
    submit = size.get("submit", {})
    for step in ("create", "submit", "approve", "total"):
        for measure in ("median_ms", "p95_ms"):
            flat[f"submit.{step}.{measure}"] = submit.get(step, {}).get(measure)
    flat["generate.seconds"] = size.get("dataset", {}).get("generate_seconds")
    return flat


def ratios(sizes: list[dict]) -> dict[str, float | None]:
    """Largest size's figure over the smallest's."""
    if len(sizes) < 2:
        return {}
    small, large = figures(sizes[0]), figures(sizes[-1])
    return {
        name: round(large[name] / small[name], 2) if large[name] is not None and small[name] else None for name in small
    }


def targets(sizes: list[dict]) -> list[dict]:
    """The issue's targets, checked on the largest size (against the smallest where they compare)."""
    small, large = figures(sizes[0]), figures(sizes[-1])
    n = sizes[-1]["dataset"]["facilities"]
    checks = []
    for key in DASHBOARD_STATES:  # every cache state (bench.states)
        checks.append((f"{key.replace('_', ' ')} p95 ≤ 100 ms", large[f"{key}.p95_ms"], 100))
        if len(sizes) > 1:
            checks.append(
                (
                    f"{key.replace('_', ' ')} p95 ≤ 3 × its value at {sizes[0]['dataset']['facilities']}",
                    large[f"{key}.p95_ms"],
                    3 * small[f"{key}.p95_ms"] if small[f"{key}.p95_ms"] else None,
                )
            )
    checks += [(f"{key.replace('_', ' ')} p95 ≤ 100 ms", large[f"{key}.p95_ms"], 100) for key in LIST_AND_PAGE]
    checks += [
        ("full compliance recompute ≤ 10 s", large["compliance_recompute.seconds"], 10),
        ("provincial workbook ≤ 15 s", large["export.seconds"], 15),
        ("provincial workbook peak memory ≤ 150 MB", large["export.peak_rss_mb"], 150),
        ("generate_scale_data ≤ 10 min (s)", large["generate.seconds"], 600),
    ]
    result = [
        {"target": name, "facilities": n, "value": value, "limit": limit, "ok": _within(value, limit)}
        for name, value, limit in checks
        if limit is not None
    ]
    if len(sizes) > 1:
        for key in PAGES:
            a, b = small[f"{key}.queries"], large[f"{key}.queries"]
            if a is not None or b is not None:
                result.append(
                    {
                        "target": f"{key.replace('_', ' ')}: same query count at every size",
                        "facilities": n,
                        "value": b,
                        "limit": a,
                        "ok": a == b,
                    }
                )
    return result


def _within(value, limit) -> bool | None:
    return None if value is None else value <= limit


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def table(sizes: list[dict]) -> str:
    """One table: a row per figure, a column per size, then the ratio of the largest to the smallest."""
    heads = [f"{s['dataset']['facilities']:,} × {s['dataset']['months']}" for s in sizes]
    rows = []
    for key in PAGES:
        label = next((s["pages"][key].get("label") for s in sizes if key in s.get("pages", {})), key)
        rows.append((label, [_page_cell(s.get("pages", {}).get(key, {})) for s in sizes], f"{key}.p95_ms"))
    recompute = [_cell(s, "compliance_recompute.seconds", " s") for s in sizes]
    rows.append(("compliance recompute, all facilities", recompute, "compliance_recompute.seconds"))
    rows.append(("provincial workbook (export_report)", [_export_cell(s) for s in sizes], "export.seconds"))
    rows.append(("  its peak memory", [_cell(s, "export.peak_rss_mb", " MB") for s in sizes], "export.peak_rss_mb"))
    rows.append(("monthly report, form → approval", [_submit_cell(s) for s in sizes], "submit.total.p95_ms"))
    rows.append(("generate_scale_data", [_cell(s, "generate.seconds", " s") for s in sizes], "generate.seconds"))
    rows.append(("monthly reports in the database", [_fmt(s["dataset"].get("reports")) for s in sizes], None))
    ratio = ratios(sizes)
    width = max(len(r[0]) for r in rows) + 2
    col = max(28, *(len(h) + 2 for h in heads))
    lines = [
        f"{'':<{width}}" + "".join(f"{h:>{col}}" for h in heads) + (f"{'ratio':>8}" if len(sizes) > 1 else ""),
        f"{'':<{width}}" + "".join(f"{'median / p95 ms (queries)':>{col}}" for _ in heads),
    ]
    for label, cells, ratio_key in rows:
        line = f"{label:<{width}}" + "".join(f"{c:>{col}}" for c in cells)
        if len(sizes) > 1:
            line += f"{_fmt(ratio.get(ratio_key), 2) if ratio_key else '':>8}"
        lines.append(line)
    if sizes:
        lines.append("")
        for check in targets(sizes):
            mark = "—" if check["ok"] is None else "ok " if check["ok"] else "MISSED"
            lines.append(f"  [{mark:^6}] {check['target']}: {_fmt(check['value'])} (limit {_fmt(check['limit'])})")
    return "\n".join(lines)


def _page_cell(page: dict) -> str:
    if "error" in page:
        return page["error"][:26]
    if not page:
        return "—"
    return f"{page['median_ms']:.1f} / {page['p95_ms']:.1f} ({page['queries']})"


def _cell(size: dict, name: str, unit: str) -> str:
    value = figures(size)[name]
    return "—" if value is None else f"{_fmt(value)}{unit}"


def _export_cell(size: dict) -> str:
    export = size.get("export", {})
    if "error" in export:
        return export["error"][:26]
    return f"{export['seconds']:.1f} s"


def _submit_cell(size: dict) -> str:
    submit = size.get("submit", {})
    if "error" in submit:
        return submit["error"][:26]
    total = submit["total"]
    return f"{total['median_ms']:.1f} / {total['p95_ms']:.1f}"
