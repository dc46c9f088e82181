"""A template's styles joined to the print file's (``combine``): a style the print file has the
same way is shared, one it has otherwise is renamed (``Heading1V1``, shown as "Heading 1 (2)");
a template whose default paragraph style or document defaults differ gets them as a style of
its own, given to each of its paragraphs without a style, so its letters keep their look. A
template's paragraphs numbered through their style get an explicit numbering when it is
compiled (``explicit_style_numbering``), so the print file can restart each letter's lists."""

from __future__ import annotations

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_BEFORE_NUMPR = {
    _w(t) for t in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl")
}


def explicit_style_numbering(root, styles: bytes) -> None:
    """Give paragraphs numbered through their style an explicit numPr, so a print file can
    restart each letter's lists (it renumbers numIds per letter)."""
    numbered = {}
    for style in etree.fromstring(styles).iter(_w("style")):
        num = style.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}")
        if num is not None:
            level = style.find(f"{_w('pPr')}/{_w('numPr')}/{_w('ilvl')}")
            numbered[style.get(_w("styleId"))] = (num.get(_w("val")), level)
    for ppr in root.iter(_w("pPr")):
        style = ppr.find(_w("pStyle"))
        if (
            style is None
            or ppr.find(_w("numPr")) is not None
            or style.get(_w("val")) not in numbered
        ):
            continue
        num_id, level = numbered[style.get(_w("val"))]
        numpr = etree.Element(_w("numPr"))
        etree.SubElement(numpr, _w("ilvl")).set(
            _w("val"), "0" if level is None else level.get(_w("val"))
        )
        etree.SubElement(numpr, _w("numId")).set(_w("val"), num_id)
        before = [c for c in ppr if c.tag in _BEFORE_NUMPR]  # schema order inside w:pPr
        before[-1].addnext(numpr)


def copy_element(element):
    return etree.fromstring(etree.tostring(element))


def renumber(document, numbers: dict[str, str]) -> None:
    for num in document.iter(_w("numId")):
        value = num.get(_w("val"))
        if value in numbers:
            num.set(_w("val"), numbers[value])


class StyleMerge:
    """A template's styles (``raw``, the k-th template's) joined to the print file's (``target``,
    the union's styles.xml, changed in place): shared when equal, renamed when not."""

    def __init__(self, target, raw: bytes | None, k: int):
        self.k = k
        self.names: dict[str, str] = {}  # style id -> id in the union
        self.added: list = []
        self.default = ""  # the id its unstyled paragraphs get, when its defaults differ
        if raw is None or target is None:
            return
        theirs = etree.fromstring(raw)
        mine = {s.get(_w("styleId")): s for s in target.iter(_w("style"))}
        for style in theirs.iter(_w("style")):
            style_id = style.get(_w("styleId"))
            if style_id not in mine:
                self.names[style_id] = style_id
                self.added.append(style)
            elif _canonical(style) != _canonical(mine[style_id]):
                self.names[style_id] = f"{style_id}V{k}"
                self.added.append(style)
        self._defaults(theirs, target, mine)
        for style in self.added:
            self.rename_in(style)
            if self.names[style.get(_w("styleId"))] != style.get(_w("styleId")):
                self._renamed(style)
            target.append(style)

    def _defaults(self, theirs, target, mine) -> None:
        """Their default paragraph style and document defaults, when not the union's, become
        one style of their own (its paragraphs without a style get it)."""
        default = _default_paragraph(theirs)
        ours = _default_paragraph(target)
        same_defaults = _canonical(theirs.find(_w("docDefaults"))) == _canonical(
            target.find(_w("docDefaults"))
        )
        if default is None or (same_defaults and ours is not None and
                               _canonical(default) == _canonical(ours)):  # fmt: skip
            return
        style_id = default.get(_w("styleId"))
        self.names[style_id] = f"{style_id}V{self.k}"
        if default not in self.added:
            self.added.append(default)
        _fold_defaults(default, theirs.find(_w("docDefaults")))
        self.default = self.names[style_id]

    def _renamed(self, style) -> None:
        old = style.get(_w("styleId"))
        style.set(_w("styleId"), self.names[old])
        style.attrib.pop(_w("default"), None)
        name = style.find(_w("name"))
        if name is not None:
            name.set(_w("val"), f"{name.get(_w('val'))} ({self.k + 1})")

    def rename_in(self, element) -> None:
        """Style references inside ``element`` (a style, a list level) as the union names them."""
        for tag in ("basedOn", "next", "link", "pStyle", "rStyle", "tblStyle", "numStyleLink",
                    "styleLink"):  # fmt: skip
            for ref in element.iter(_w(tag)):
                if ref.get(_w("val")) in self.names:
                    ref.set(_w("val"), self.names[ref.get(_w("val"))])

    def renumber(self, numbers: dict[str, str]) -> None:
        for style in self.added:
            renumber(style, numbers)

    def apply(self, document) -> None:
        """The document's style references renamed; unstyled paragraphs given its default."""
        self.rename_in(document)
        if not self.default:
            return
        for paragraph in document.iter(_w("p")):
            ppr = paragraph.find(_w("pPr"))
            if ppr is None:
                ppr = etree.Element(_w("pPr"))
                paragraph.insert(0, ppr)
            if ppr.find(_w("pStyle")) is None:
                style = etree.Element(_w("pStyle"))
                style.set(_w("val"), self.default)
                ppr.insert(0, style)


def _default_paragraph(styles):
    for style in styles.iter(_w("style")):
        if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true"):
            return style
    return None


def _fold_defaults(style, defaults) -> None:
    """The document defaults' paragraph and run properties under the style's own."""
    if defaults is None:
        return
    for kind in ("pPr", "rPr"):
        given = defaults.find(f"{_w(kind + 'Default')}/{_w(kind)}")
        if given is None:
            continue
        own = style.find(_w(kind))
        if own is None:
            own = etree.SubElement(style, _w(kind))
        present = {child.tag for child in own}
        for child in given:
            if child.tag not in present:
                own.append(copy_element(child))


def _canonical(element) -> bytes:
    return b"" if element is None else etree.tostring(element, method="c14n")
