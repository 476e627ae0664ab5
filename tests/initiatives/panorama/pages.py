"""Reading the panorama pages and the lists they link to (shared by these tests and tests/data)."""

import re
from html import unescape

H1 = re.compile(r"<h1[\s>]", re.I)
LIST_TOTAL = re.compile(r'<p class="result-count"[^>]*><strong>(\d+)</strong>')
# A count in a table: <a href="/initiatives/?…">N</a>; a bar of a chart: <a href="…"><title>… : N cas (…</title>.
COUNT_LINK = re.compile(r'<a href="(/initiatives/\?[^"]*)">(\d+)</a>')
BAR_LINK = re.compile(r'<a href="(/initiatives/\?[^"]*)">\s*<title>[^<]* : (\d+) cas \(')


def counted_links(html) -> list[tuple[str, int]]:
    """(list URL, announced count) of every count the page links to a list."""
    found = COUNT_LINK.findall(html) + BAR_LINK.findall(html)
    return [(unescape(href), int(n)) for href, n in found]


def list_total(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(LIST_TOTAL.search(response.content.decode())[1])


def assert_links_lead_to_their_counts(client, html) -> int:
    """Follow every counted link; each list must show exactly the count announced. Returns how many."""
    links = counted_links(html)
    for url, announced in links:
        assert list_total(client, url) == announced, url
    return len(links)


def table_rows(html, caption_start) -> list[list[str]]:
    """The rows (header and data cells, as text) of the table whose caption starts with ``caption_start``."""
    start = html.index(f"<caption>{caption_start}")
    table = html[start : html.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows
