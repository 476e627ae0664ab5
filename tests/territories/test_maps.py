"""The map's geometry, read from the vendored outlines: the path reader, the inset's place and scale."""

import re

import pytest

from territories import maps


def test_the_path_reader_follows_relative_moves_and_closed_outlines():
    # After "z" the pen is back at the outline's start: the next "m" is relative to it.
    assert maps.rings("m 10,10 5,0 0,5 z m 1,1 2,0 0,2 z") == [
        [(10, 10), (15, 10), (15, 15)],
        [(11, 11), (13, 11), (13, 13)],
    ]
    assert maps.rings("M 1 2 3 4 z") == [[(1, 2), (3, 4)]]
    with pytest.raises(ValueError):
        maps.rings("m 0,0 c 1,1 2,2 3,3 z")  # a curve: not what the file holds, refused rather than misread


def test_every_mainland_department_is_read():
    _, paths = maps.outlines()
    assert len(paths) == 96
    assert all(p.rings and all(len(r) >= 3 for r in p.rings) for p in paths)


def test_the_inset_sits_on_no_land_and_shows_the_whole_petite_couronne():
    _, paths = maps.outlines()
    geometry = maps.inset()
    fx, fy, fw, fh = geometry.frame
    for outline in paths:
        for ring in outline.rings:
            x0, y0, x1, y1 = maps.bounds(ring)
            assert x0 > fx + fw or y0 > fy + fh, outline.code  # the frame covers no département
    wx, wy, ww, wh = geometry.window
    for outline in paths:
        if outline.code in maps.INSET_CODES:
            x0, y0, x1, y1 = maps.bounds([p for ring in outline.rings for p in ring])
            assert wx <= x0 and x1 <= wx + ww and wy <= y0 and y1 <= wy + wh, outline.code
    assert set(maps.INSET_CODES) < geometry.codes  # and, clipped, its neighbours
    assert geometry.scale > 4  # Paris is a few pixels wide on the whole map


def test_the_inset_transform_maps_its_window_onto_its_area():
    geometry = maps.inset()
    a, _, _, d, e, f = (float(n) for n in re.findall(r"-?[\d.]+", geometry.transform))
    wx, wy, ww, wh = geometry.window
    ax, ay, aw, ah = geometry.area
    assert (a * wx + e, d * wy + f) == pytest.approx((ax, ay), abs=0.01)
    assert (a * (wx + ww) + e, d * (wy + wh) + f) == pytest.approx((ax + aw, ay + ah), abs=0.01)


def test_labels_sit_inside_their_department_even_a_crescent():
    _, paths = maps.outlines()
    by_code = {p.code: p for p in paths}
    for code in maps.INSET_CODES:
        x, y = maps.label_point(by_code[code].rings)
        assert any(maps._inside((x, y), list(ring)) for ring in by_code[code].rings), code


def test_a_department_without_cases_gets_no_link_whatever_it_is_given():
    data = maps.choropleth({"93": 4, "75": 0}, {"93": "/a", "75": "/b", "01": "/c"})
    main = {d["code"]: d for d in data["departments"]}
    inset = {d["code"]: d for d in data["inset"]["departments"]}
    assert main["93"]["url"] == "/a" and inset["93"]["url"] == "/a"
    assert main["75"]["url"] == "" and main["01"]["url"] == ""
    # Each département is offered to the keyboard once: the enlarged ones in the inset, the others on the map.
    assert not main["93"]["primary"] and inset["93"]["primary"]
    assert main["77"]["primary"] and not inset["77"]["primary"]
