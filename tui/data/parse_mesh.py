"""MeSH headings with the major-topic mark where PubMed puts it.

A heading is a major topic of the article when its descriptor or any of its qualifiers
says ``MajorTopicYN="Y"``; PubMed stars exactly the parts that say so
(``Liver/drug effects/*enzymology``), so the model keeps the mark per part.
"""

from __future__ import annotations

from lxml import etree

from tui.data.model import MeshHeading
from tui.data.parse_xml import flat

_Element = etree._Element


def mesh(citation: _Element) -> tuple[MeshHeading, ...]:
    headings = []
    for el in citation.iterfind("MeshHeadingList/MeshHeading"):
        descriptor = el.find("DescriptorName")
        name = flat(descriptor)
        if descriptor is None or not name:
            continue
        qualifiers: list[str] = []
        major_qualifiers: list[str] = []
        for q in el.iterfind("QualifierName"):
            text = flat(q)
            if text:
                qualifiers.append(text)
                if q.get("MajorTopicYN") == "Y":
                    major_qualifiers.append(text)
        on_descriptor = descriptor.get("MajorTopicYN") == "Y"
        headings.append(
            MeshHeading(
                descriptor=name,
                major=on_descriptor or bool(major_qualifiers),
                qualifiers=tuple(qualifiers),
                major_qualifiers=tuple(major_qualifiers),
                major_descriptor=on_descriptor,
            )
        )
    return tuple(headings)
