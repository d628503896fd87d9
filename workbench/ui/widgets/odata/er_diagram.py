"""Entity-relationship diagram of the types around one entity type (QGraphicsView).

Why: in a service with hundreds of types, the question "what hangs off Order?" is answered
faster by a picture than by following links. The chosen type sits in the middle; the types
its navigation properties lead to (and those leading to it) sit around it, each edge labelled
with the navigation property and the multiplicity at both ends (`1`, `0..1`, `*`), as in
the v2 association ends the model resolves. Pan by dragging, zoom with the wheel; export as
PNG or SVG (QtSvg's QSvgGenerator).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from workbench.core.csdl.model import EntityType, Model, NavigationProperty
from workbench.ui.palette import current

BOX_WIDTH = 220
LINE_HEIGHT = 18
MAX_PROPERTIES = 8
RADIUS = 360


@dataclass(frozen=True, slots=True)
class Edge:
    """One relation drawn: `source.nav` → `target`, with the multiplicity at each end."""

    source: str
    target: str
    name: str
    source_multiplicity: str
    target_multiplicity: str
    containment: bool = False


def relations_around(model: Model, center: EntityType, limit: int = 24) -> tuple[list[EntityType], list[Edge]]:
    """The types directly related to `center` (both directions) and the edges between them.

    The source end's multiplicity comes from the partner navigation property when there is one
    (CSDL 4.01 §8.2); containment's parent end is always exactly one (§8.4); a one-way
    relation's source end is unknown and left blank. Partner pairs are drawn once, from the
    center's side (the far side only adds one-way relations pointing at the center).
    """
    types: dict[str, EntityType] = {center.qualified_name: center}
    edges: list[Edge] = []

    def add_edge(source: EntityType, nav: NavigationProperty) -> None:
        target = model.entity_type(nav.type)
        if target is None:
            return
        partner = model.navigation_property(target, nav.partner) if nav.partner else None
        if nav.contains_target:
            source_mult = "1"
        elif partner is not None:
            source_mult = partner.multiplicity
        else:
            source_mult = ""
        if target.qualified_name not in types:
            if len(types) > limit:
                return
            types[target.qualified_name] = target
        edges.append(Edge(source.qualified_name, target.qualified_name, nav.name, source_mult, nav.multiplicity,
                          nav.contains_target))

    for nav in model.all_navigation_properties(center):
        add_edge(center, nav)
    # Types pointing at the center (one-way relations are otherwise invisible from here).
    drawn = {(e.source, e.name) for e in edges}
    for other in model.entity_types():
        if other is center or len(types) > limit:
            continue
        for nav in other.navigation_properties:
            if model.resolve(nav.type) == center.qualified_name and nav.partner == "" and (
                    other.qualified_name, nav.name) not in drawn:
                add_edge(other, nav)
    return list(types.values()), edges


def short_type(type_name: str, collection: bool = False) -> str:
    """`Edm.String` → `String`, a collection → `Collection(String)` (namespaces add only noise in a box)."""
    short = type_name.rpartition(".")[2]
    return f"Collection({short})" if collection else short


class TypeBox(QGraphicsRectItem):
    """A type drawn as a box: name, then key and first properties."""

    def __init__(self, model: Model, entity_type: EntityType, central: bool) -> None:
        keys = set(model.key_of(entity_type))
        props = list(model.all_properties(entity_type))
        shown = [p for p in props if p.name in keys] + [p for p in props if p.name not in keys]
        lines = [f"{'PK ' if p.name in keys else '   '}{p.name}: {short_type(p.type, p.collection)}"
                 for p in shown[:MAX_PROPERTIES]]
        if len(shown) > MAX_PROPERTIES:
            lines.append(f"   … {len(shown) - MAX_PROPERTIES} more")
        height = LINE_HEIGHT * (len(lines) + 1) + 12
        super().__init__(0, 0, BOX_WIDTH, height)
        self.entity_type = entity_type
        pal = current()
        self.setBrush(QBrush(QColor(pal.node_central if central else pal.node)))
        self.setPen(QPen(QColor(pal.accent if central else pal.node_border), 2 if central else 1))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setToolTip(entity_type.qualified_name)
        title = QGraphicsSimpleTextItem(entity_type.name, self)
        bold = QFont()
        bold.setBold(True)
        title.setFont(bold)
        title.setBrush(QBrush(QColor(pal.text)))
        title.setPos(8, 4)
        for row, text in enumerate(lines):
            item = QGraphicsSimpleTextItem(text, self)
            item.setPos(8, 6 + LINE_HEIGHT * (row + 1))
            item.setBrush(QBrush(QColor(pal.text)))
        separator = QGraphicsPathItem(self)
        path = QPainterPath(QPointF(0, LINE_HEIGHT + 6))
        path.lineTo(BOX_WIDTH, LINE_HEIGHT + 6)
        separator.setPath(path)
        separator.setPen(QPen(QColor(pal.border)))

    def anchor(self, towards: QPointF) -> QPointF:
        """Where a line from the box centre towards `towards` leaves the box."""
        rect = self.sceneBoundingRect()
        center = rect.center()
        dx, dy = towards.x() - center.x(), towards.y() - center.y()
        if dx == 0 and dy == 0:
            return center
        scale = min(rect.width() / 2 / abs(dx) if dx else math.inf, rect.height() / 2 / abs(dy) if dy else math.inf)
        return QPointF(center.x() + dx * scale, center.y() + dy * scale)


class ErDiagram(QGraphicsView):
    """The diagram view; `show_type(model, qualified)` redraws it around that type."""

    type_activated = Signal(str)  # qualified name of a double-clicked box

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.boxes: dict[str, TypeBox] = {}
        self.edges: list[Edge] = []
        self.edge_labels: list[QGraphicsSimpleTextItem] = []
        self.center_name = ""

    # -- content -------------------------------------------------------------------------
    def clear_diagram(self) -> None:
        self.scene().clear()
        self.boxes = {}
        self.edges = []
        self.edge_labels = []
        self.center_name = ""

    def show_type(self, model: Model, qualified: str) -> bool:
        """Draw the types around entity type `qualified`; False if it is not an entity type."""
        self.clear_diagram()
        center = model.entity_type(qualified)
        if center is None:
            return False
        types, edges = relations_around(model, center)
        self.center_name = center.qualified_name
        self.edges = edges
        scene = self.scene()
        for entity_type in types:
            box = TypeBox(model, entity_type, entity_type is center)
            scene.addItem(box)
            self.boxes[entity_type.qualified_name] = box
        others = [t for t in types if t is not center]
        center_box = self.boxes[center.qualified_name]
        center_box.setPos(-BOX_WIDTH / 2, -center_box.rect().height() / 2)
        radius = max(RADIUS, 60 * len(others))
        for i, entity_type in enumerate(others):
            angle = 2 * math.pi * i / max(len(others), 1) - math.pi / 2
            box = self.boxes[entity_type.qualified_name]
            box.setPos(radius * math.cos(angle) - BOX_WIDTH / 2, radius * math.sin(angle) - box.rect().height() / 2)
        for edge in edges:
            self._draw_edge(edge)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-40, -40, 40, 40))
        self.fit()
        return True

    def _draw_edge(self, edge: Edge) -> None:
        scene = self.scene()
        source = self.boxes[edge.source]
        target = self.boxes[edge.target]
        pen = QPen(QColor(current().accent if not edge.containment else current().purple), 1.5)
        path = QPainterPath()
        if source is target:  # a self relation (e.g. Person/Friends): a loop on the right side
            rect = source.sceneBoundingRect()
            start = QPointF(rect.right(), rect.top() + 14)
            end = QPointF(rect.right(), rect.top() + 34)
            path.moveTo(start)
            path.cubicTo(start + QPointF(70, -30), end + QPointF(70, 30), end)
            label_at = QPointF(rect.right() + 48, rect.top() + 16)
        else:
            start = source.anchor(target.sceneBoundingRect().center())
            end = target.anchor(source.sceneBoundingRect().center())
            path.moveTo(start)
            path.lineTo(end)
            label_at = (start + end) / 2
        line = scene.addPath(path, pen)
        line.setZValue(-1)
        line.setToolTip(f"{edge.source.rpartition('.')[2]}.{edge.name} → {edge.target.rpartition('.')[2]}")
        self._label(edge.name, label_at, QColor(current().accent))
        if source is not target:
            self._label(edge.target_multiplicity, start + (end - start) * 0.85 + QPointF(6, -14), QColor(current().danger))
            if edge.source_multiplicity:
                self._label(edge.source_multiplicity, start + (end - start) * 0.15 + QPointF(6, -14),
                            QColor(current().danger))
            self._arrow(start, end, pen)
        else:
            self._label(edge.target_multiplicity, label_at + QPointF(0, 16), QColor(current().danger))

    def _label(self, text: str, at: QPointF, color: QColor) -> None:
        item = self.scene().addSimpleText(text)
        item.setBrush(QBrush(color))
        item.setPos(at)
        self.edge_labels.append(item)

    def _arrow(self, start: QPointF, end: QPointF, pen: QPen) -> None:
        angle = math.atan2(end.y() - start.y(), end.x() - start.x())
        size = 10
        left = end - QPointF(size * math.cos(angle - 0.4), size * math.sin(angle - 0.4))
        right = end - QPointF(size * math.cos(angle + 0.4), size * math.sin(angle + 0.4))
        head = QPainterPath(end)
        head.lineTo(left)
        head.lineTo(right)
        head.closeSubpath()
        self.scene().addPath(head, pen, QBrush(pen.color()))

    # -- view ----------------------------------------------------------------------------
    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        if 0.05 < current * factor < 8:
            self.scale(factor, factor)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, TypeBox):
            item = item.parentItem()
        if isinstance(item, TypeBox):
            self.type_activated.emit(item.entity_type.qualified_name)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    # -- export --------------------------------------------------------------------------
    def export_png(self, path: str, scale: float = 2.0) -> bool:
        """Render the whole diagram (not just the visible part) to a PNG at `scale`."""
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return False
        image = QImage(QSize(int(rect.width() * scale), int(rect.height() * scale)), QImage.Format.Format_ARGB32)
        image.fill(QColor(current().base))
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.scene().render(painter, QRectF(image.rect()), rect)
        painter.end()
        saved: bool = image.save(path, "PNG")  # type: ignore[call-overload]  # stubs say bytes; PySide6 takes str
        return saved

    def export_svg(self, path: str) -> bool:
        """Write the diagram as SVG (vector, for documentation)."""
        from PySide6.QtSvg import QSvgGenerator

        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return False
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(QSize(int(rect.width()), int(rect.height())))
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle(f"{self.center_name} relations")
        generator.setDescription("Entity-relationship diagram exported by API Workbench")
        painter = QPainter(generator)
        self.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
        return True
