"""Entity-relationship diagram of the types around one entity type (QGraphicsView).

Why: in a service with hundreds of types, the question "what hangs off Order?" is answered
faster by a picture than by following links. The chosen type sits in the middle; the types
its navigation properties lead to (and those leading to it) sit around it, each edge labelled
with the navigation property and the multiplicity at both ends (`1`, `0..1`, `*`), as in
the v2 association ends the model resolves. Pan by dragging, zoom with the wheel; export as
PNG or SVG (QtSvg's QSvgGenerator).

Big models stay readable: at most MAX_NEIGHBOURS related types are drawn (Microsoft Graph's
`user` has about a hundred navigation properties), the rest sit behind a "+N more" node whose
click lists them (pick one to recentre there) or draws them all. Several relations between the
same two types share one line with their names stacked. The first view never zooms out below
READABLE_POINT effective text size: when everything does not fit at that size, the view
centres on the chosen type and the rest is a drag (or "Fit") away. Text is elided to its box.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QMenu,
    QWidget,
)

from workbench.core.csdl.model import EntityType, Model, NavigationProperty
from workbench.ui.palette import current

MAX_NEIGHBOURS = 8  # related types drawn before the "+N more" node
MAX_TYPES = 400  # related types collected at all (a stranger's model may relate thousands)
CENTER_PROPERTIES = 8
NEIGHBOUR_PROPERTIES = 4
FONT_POINT = 10.0  # the diagram's text size at 100 %
READABLE_POINT = 9.0  # the first view never shows text smaller than this
MAX_FIRST_SCALE = 1.25
BOX_MIN_WIDTH = 170
BOX_MAX_WIDTH = 300
PADDING = 8
MAX_STACKED = 3  # relation names stacked on one line before "+k more"


def diagram_font(bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(FONT_POINT)
    font.setBold(bold)
    return font


@dataclass(frozen=True, slots=True)
class Edge:
    """One relation drawn: `source.nav` → `target`, with the multiplicity at each end."""

    source: str
    target: str
    name: str
    source_multiplicity: str
    target_multiplicity: str
    containment: bool = False


def relations_around(model: Model, center: EntityType, limit: int = MAX_TYPES) -> tuple[list[EntityType], list[Edge]]:
    """The types directly related to `center` (both directions) and the edges between them.

    The source end's multiplicity comes from the partner navigation property when there is one
    (CSDL 4.01 §8.2); containment's parent end is always exactly one (§8.4); a one-way
    relation's source end is unknown and left blank. Partner pairs are drawn once, from the
    center's side (the far side only adds one-way relations pointing at the center). At most
    `limit` related types are collected (the diagram draws fewer, see MAX_NEIGHBOURS).
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
        for end in (source, target):
            if end.qualified_name not in types:
                if len(types) > limit:
                    return
                types[end.qualified_name] = end
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
    """A type drawn as a box: name, then key and first properties, each line elided to the box."""

    def __init__(self, model: Model, entity_type: EntityType, central: bool) -> None:
        keys = set(model.key_of(entity_type))
        props = list(model.all_properties(entity_type))
        shown = [p for p in props if p.name in keys] + [p for p in props if p.name not in keys]
        limit = CENTER_PROPERTIES if central else NEIGHBOUR_PROPERTIES
        full = [f"{'PK ' if p.name in keys else '     '}{p.name}: {short_type(p.type, p.collection)}"
                for p in shown]
        lines = full[:limit]
        if len(full) > limit:
            lines.append(f"     … {len(full) - limit} more")
        font, bold = diagram_font(), diagram_font(bold=True)
        metrics, bold_metrics = QFontMetricsF(font), QFontMetricsF(bold)
        self.line_height = math.ceil(metrics.height() + 3)
        widest = max([bold_metrics.horizontalAdvance(entity_type.name)]
                     + [metrics.horizontalAdvance(line) for line in lines])
        width = min(BOX_MAX_WIDTH, max(BOX_MIN_WIDTH, math.ceil(widest) + 2 * PADDING + 2))
        height = self.line_height * (len(lines) + 1) + 2 * PADDING
        super().__init__(0, 0, width, height)
        self.entity_type = entity_type
        self.texts: list[QGraphicsSimpleTextItem] = []
        pal = current()
        self.setBrush(QBrush(QColor(pal.node_central if central else pal.node)))
        self.setPen(QPen(QColor(pal.accent if central else pal.node_border), 2 if central else 1))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setToolTip("\n".join([entity_type.qualified_name, *full[:60]]) + ("\n…" if len(full) > 60 else ""))
        room = width - 2 * PADDING
        title = QGraphicsSimpleTextItem(bold_metrics.elidedText(entity_type.name, Qt.TextElideMode.ElideRight, room),
                                        self)
        title.setFont(bold)
        title.setBrush(QBrush(QColor(pal.text)))
        title.setPos(PADDING, PADDING - 2)
        self.texts.append(title)
        for row, text in enumerate(lines):
            item = QGraphicsSimpleTextItem(metrics.elidedText(text, Qt.TextElideMode.ElideRight, room), self)
            item.setFont(font)
            item.setPos(PADDING, PADDING + self.line_height * (row + 1))
            item.setBrush(QBrush(QColor(pal.text if not text.startswith("     …") else pal.muted)))
            self.texts.append(item)
        separator = QGraphicsPathItem(self)
        path = QPainterPath(QPointF(0, PADDING + self.line_height - 1))
        path.lineTo(width, PADDING + self.line_height - 1)
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


class MoreNode(QGraphicsRectItem):
    """"+N more": the related types not drawn; a click lists them (see `ErDiagram.more_menu`)."""

    def __init__(self, hidden: list[EntityType]) -> None:
        font, bold = diagram_font(), diagram_font(bold=True)
        title = f"+{len(hidden)} more"
        hint = "click to list them"
        metrics = QFontMetricsF(font)
        width = max(BOX_MIN_WIDTH - 30, math.ceil(metrics.horizontalAdvance("related types,  " + hint) / 2) + 40)
        line = math.ceil(metrics.height() + 3)
        super().__init__(0, 0, width, 3 * line + 2 * PADDING)
        self.hidden = hidden
        pal = current()
        self.setBrush(QBrush(QColor(pal.alt_base)))
        pen = QPen(QColor(pal.node_border), 1.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("\n".join(t.name for t in hidden[:40]) + ("\n…" if len(hidden) > 40 else ""))
        for row, (text, item_font, colour) in enumerate(((title, bold, pal.accent), ("related types,", font, pal.muted),
                                                         (hint, font, pal.muted))):
            item = QGraphicsSimpleTextItem(text, self)
            item.setFont(item_font)
            item.setBrush(QBrush(QColor(colour)))
            item.setPos((width - QFontMetricsF(item_font).horizontalAdvance(text)) / 2, PADDING + row * line)

    def anchor(self, towards: QPointF) -> QPointF:
        return TypeBox.anchor(self, towards)  # type: ignore[arg-type]  # the same rectangle geometry


class ErDiagram(QGraphicsView):
    """The diagram view; `show_type(model, qualified)` redraws it around that type."""

    type_activated = Signal(str)  # qualified name of a double-clicked box (or one picked from "+N more")
    drawn = Signal()  # a new diagram is on the scene (the browser's "+N more" button follows it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.boxes: dict[str, TypeBox] = {}
        self.edges: list[Edge] = []
        self.edge_labels: list[QGraphicsSimpleTextItem] = []
        self.loop_paths: list[QPainterPath] = []
        self.more_node: MoreNode | None = None
        self.hidden_types: list[EntityType] = []
        self.center_name = ""
        self._model: Model | None = None
        self._auto_view = False  # the first view follows resizes until the user zooms or drags

    # -- content -------------------------------------------------------------------------
    def clear_diagram(self) -> None:
        self.scene().clear()
        self.boxes = {}
        self.edges = []
        self.edge_labels = []
        self.loop_paths = []
        self.more_node = None
        self.hidden_types = []
        self.center_name = ""
        self._auto_view = False

    def show_type(self, model: Model, qualified: str, show_all: bool = False) -> bool:
        """Draw the types around entity type `qualified`; False if it is not an entity type.

        At most MAX_NEIGHBOURS related types unless `show_all`; the rest behind "+N more".
        """
        self.clear_diagram()
        center = model.entity_type(qualified)
        if center is None:
            return False
        self._model = model
        types, edges = relations_around(model, center)
        others = [t for t in types if t is not center]
        shown = others if show_all else others[:MAX_NEIGHBOURS]
        self.hidden_types = others[len(shown):]
        self.center_name = center.qualified_name
        scene = self.scene()
        for entity_type in [center, *shown]:
            box = TypeBox(model, entity_type, entity_type is center)
            scene.addItem(box)
            self.boxes[entity_type.qualified_name] = box
        self.edges = [e for e in edges if e.source in self.boxes and e.target in self.boxes]
        slots: list[QGraphicsRectItem] = [self.boxes[t.qualified_name] for t in shown]
        if self.hidden_types:
            self.more_node = MoreNode(self.hidden_types)
            scene.addItem(self.more_node)
            slots.append(self.more_node)
        center_box = self.boxes[center.qualified_name]
        center_box.setPos(-center_box.rect().width() / 2, -center_box.rect().height() / 2)
        loop = any(e.source == e.target == center.qualified_name for e in self.edges)
        self._place_around(center_box, slots, room=90 if loop else 0)
        groups: dict[tuple[str, str], list[Edge]] = {}
        for edge in self.edges:
            groups.setdefault((edge.source, edge.target), []).append(edge)
        for group in groups.values():
            self._draw_edges(group)
        if self.more_node is not None:
            self._line(center_box, self.more_node, dashed=True)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-40, -40, 40, 40))
        self.first_view()
        self.drawn.emit()
        return True

    def _place_around(self, center_box: TypeBox, slots: list[QGraphicsRectItem], room: float = 0) -> None:
        """Slots on an ellipse around the center, wider than tall like the view, clear of the center box.

        `room`: extra width beside the center for a self relation's loop and its names.
        """
        if not slots:
            return
        widest = max(item.rect().width() for item in slots)
        tallest = max(item.rect().height() for item in slots)
        half_w, half_h = center_box.rect().width() / 2, center_box.rect().height() / 2
        count = len(slots)
        rx = max(half_w + widest / 2 + 110 + room, count * (widest + 30) / (2 * math.pi) * 1.25)
        ry = half_h + tallest / 2 + (100 if count == 2 else 60)  # a vertical line: names and ends stacked along it
        if count != 2:
            ry = max(ry, rx * 0.55)
        # Two neighbours go above and below (the boxes are wider than tall, so that fits a screen
        # best and leaves the sides to a self relation's loop); more are spread half a step off
        # the axes, so no line runs exactly along another's label.
        offset = 0.0 if count == 2 else 0.5
        for i, item in enumerate(slots):
            angle = 2 * math.pi * (i + offset) / count - math.pi / 2
            item.setPos(rx * math.cos(angle) - item.rect().width() / 2, ry * math.sin(angle) - item.rect().height() / 2)

    def _line(self, source: QGraphicsRectItem, target: QGraphicsRectItem, colour: str = "", dashed: bool = False,
              ) -> tuple[QPointF, QPointF, QPen]:
        start = TypeBox.anchor(source, target.sceneBoundingRect().center())  # type: ignore[arg-type]
        end = TypeBox.anchor(target, source.sceneBoundingRect().center())  # type: ignore[arg-type]
        pen = QPen(QColor(colour or current().node_border), 1.5)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        path = QPainterPath(start)
        path.lineTo(end)
        line = self.scene().addPath(path, pen)
        line.setZValue(-1)
        return start, end, pen

    def _draw_edges(self, group: list[Edge]) -> None:
        """One line per pair of types; the relation names stacked at its middle."""
        first = group[0]
        source = self.boxes[first.source]
        target = self.boxes[first.target]
        pal = current()
        colour = pal.purple if all(e.containment for e in group) else pal.accent
        names = [e.name for e in group]
        shown = names if len(names) <= MAX_STACKED + 1 else names[:MAX_STACKED] + [f"+{len(names) - MAX_STACKED} more"]
        tip = "\n".join(f"{e.source.rpartition('.')[2]}.{e.name} → {e.target.rpartition('.')[2]} "
                        f"({e.source_multiplicity or '?'} → {e.target_multiplicity})" for e in group)
        if source is target:  # a self relation (e.g. Person/Friends): a loop at the box's upper right
            rect = source.sceneBoundingRect()
            start = QPointF(rect.right(), rect.top() + 10)
            end = QPointF(rect.right(), rect.top() + 36)
            path = QPainterPath(start)
            path.cubicTo(start + QPointF(70, -30), end + QPointF(70, 30), end)
            line = self.scene().addPath(path, QPen(QColor(colour), 1.5))
            line.setZValue(-1)
            line.setToolTip(tip)
            self.loop_paths.append(path)
            # The loop reaches about 53 px out (3/4 of its 70 px control points): the text starts beyond it.
            at = QPointF(rect.right() + 62, rect.top() + 23 - self._stack_height(len(shown) + 1) / 2)
            self._stack(shown + [first.target_multiplicity], at, tip, [colour] * len(shown) + [pal.danger])
            return
        start, end, pen = self._line(source, target, colour)
        self._arrow(start, end, pen)
        middle = (start + end) / 2
        self._stack(shown, middle - QPointF(0, self._stack_height(len(shown)) / 2), tip, [colour] * len(shown),
                    centred=True)
        if len({e.target_multiplicity for e in group}) == 1:
            self._end_label(first.target_multiplicity, start, end, at_end=True)
        if len({e.source_multiplicity for e in group}) == 1 and first.source_multiplicity:
            self._end_label(first.source_multiplicity, start, end, at_end=False)

    def _end_label(self, text: str, start: QPointF, end: QPointF, at_end: bool) -> None:
        """A multiplicity beside the line, 22 px from its box and 11 px off the line (above it, or left)."""
        dx, dy = end.x() - start.x(), end.y() - start.y()
        length = max(1.0, math.hypot(dx, dy))
        ux, uy = dx / length, dy / length
        nx, ny = uy, -ux  # a normal; flipped to point up (or left on a vertical line)
        if ny > 0 or (abs(ny) < 1e-9 and nx > 0):
            nx, ny = -nx, -ny
        along = min(22.0, length / 3)
        base = QPointF(end.x() - ux * along, end.y() - uy * along) if at_end else \
            QPointF(start.x() + ux * along, start.y() + uy * along)
        height = QFontMetricsF(diagram_font()).height()
        width = QFontMetricsF(diagram_font()).horizontalAdvance(text)
        # Off the line by 11 px plus half the label's extent along the normal.
        reach = 11 + abs(nx) * width / 2 + abs(ny) * height / 2
        centre = QPointF(base.x() + nx * reach, base.y() + ny * reach)
        self._label(text, centre - QPointF(0, height / 2), current().danger, centred=True)

    @staticmethod
    def _stack_height(count: int) -> float:
        return count * (QFontMetricsF(diagram_font()).height() + 2)

    def _stack(self, texts: list[str], at: QPointF, tip: str, colours: list[str], centred: bool = False) -> None:
        step = QFontMetricsF(diagram_font()).height() + 2
        for row, (text, colour) in enumerate(zip(texts, colours)):
            item = self._label(text, at + QPointF(0, row * step), colour, centred)
            item.setToolTip(tip)

    def _label(self, text: str, at: QPointF, colour: str, centred: bool = False) -> QGraphicsSimpleTextItem:
        """A label on a quiet plate, so a line running under it does not cross out its letters."""
        item = QGraphicsSimpleTextItem(text)
        item.setFont(diagram_font())
        item.setBrush(QBrush(QColor(colour)))
        width = item.boundingRect().width()
        item.setPos(at - QPointF(width / 2, 0) if centred else at)
        plate = QGraphicsRectItem(item.sceneBoundingRect().adjusted(-3, -1, 3, 1))
        base = QColor(current().base)
        base.setAlphaF(0.88)
        plate.setBrush(QBrush(base))
        plate.setPen(QPen(Qt.PenStyle.NoPen))
        plate.setZValue(1)
        item.setZValue(2)
        self.scene().addItem(plate)
        self.scene().addItem(item)
        self.edge_labels.append(item)
        return item

    def _arrow(self, start: QPointF, end: QPointF, pen: QPen) -> None:
        angle = math.atan2(end.y() - start.y(), end.x() - start.x())
        size = 10
        left = end - QPointF(size * math.cos(angle - 0.4), size * math.sin(angle - 0.4))
        right = end - QPointF(size * math.cos(angle + 0.4), size * math.sin(angle + 0.4))
        head = QPainterPath(end)
        head.lineTo(left)
        head.lineTo(right)
        head.closeSubpath()
        solid = QPen(pen)
        solid.setStyle(Qt.PenStyle.SolidLine)
        self.scene().addPath(head, solid, QBrush(pen.color()))

    # -- "+N more" -----------------------------------------------------------------------
    def more_menu(self) -> QMenu:
        """The related types not drawn: pick one to recentre there, or draw them all."""
        menu = QMenu(self)
        center = self.center_name
        vias: dict[str, list[str]] = {}
        if self._model is not None and (found := self._model.entity_type(center)) is not None:
            for edge in relations_around(self._model, found)[1]:
                other = edge.target if edge.source == center else edge.source
                vias.setdefault(other, []).append(edge.name)
        for entity_type in self.hidden_types:
            via = ", ".join(vias.get(entity_type.qualified_name, [])[:3])
            action = menu.addAction(f"{entity_type.name}   (via {via})" if via else entity_type.name)
            action.triggered.connect(lambda _=False, q=entity_type.qualified_name: self.type_activated.emit(q))
        menu.addSeparator()
        show_all = menu.addAction(f"Draw all {len(self.boxes) - 1 + len(self.hidden_types)} related types")
        show_all.triggered.connect(self.show_all)
        return menu

    def show_all(self) -> None:
        """Redraw with every related type (the view then starts on the chosen type, at a readable size)."""
        if self._model is not None and self.center_name:
            self.show_type(self._model, self.center_name, show_all=True)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, MoreNode):
            item = item.parentItem()
        if isinstance(item, MoreNode) and event.button() == Qt.MouseButton.LeftButton:
            self.more_menu().popup(self.viewport().mapToGlobal(event.position().toPoint()))
            event.accept()
            return
        self._auto_view = False
        super().mousePressEvent(event)

    # -- view ----------------------------------------------------------------------------
    def first_view(self) -> None:
        """Everything if it fits with text at READABLE_POINT or more; else the chosen type, at that size."""
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        view = self.viewport().rect()
        fit = min(view.width() / rect.width(), view.height() / rect.height()) if rect.width() and rect.height() else 1
        readable = READABLE_POINT / FONT_POINT
        scale = min(MAX_FIRST_SCALE, max(fit, readable))
        self.resetTransform()
        self.scale(scale, scale)
        if fit >= readable:
            self.centerOn(rect.center())
        elif self.center_name in self.boxes:
            self.centerOn(self.boxes[self.center_name].sceneBoundingRect().center())
        self._auto_view = True

    def effective_point_size(self) -> float:
        """The diagram's text size as seen on screen now (points at the current zoom)."""
        return FONT_POINT * self.transform().m11()

    def fit(self) -> None:
        """The whole diagram in view, however small its text gets (the toolbar's Fit)."""
        rect = self.scene().sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self._auto_view = False

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        if 0.05 < current * factor < 8:
            self.scale(factor, factor)
        self._auto_view = False

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._auto_view:
            self.first_view()

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
