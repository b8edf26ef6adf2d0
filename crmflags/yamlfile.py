"""Load YAML safely and remember the line of every key and list item.

Built on ``yaml.SafeLoader``: only plain data (mappings, lists, strings, numbers,
booleans, null) can come out, nothing is ever imported or called. The line numbers
let every validation error name ``file:line``.

Hostile files are refused while they are parsed, before anything walks what they hold:
nesting deeper than :data:`MAX_DEPTH` levels (which would exhaust Python's stack), and
aliases (``*name``) that copy more than :data:`MAX_ALIASED_VALUES` values in all (the
"billion laughs": nine aliases of nine aliases of ... a few bytes that expand to
gigabytes). Ordinary anchors, aliases and merge keys (``<<: *defaults``) stay far below.
"""

from __future__ import annotations

import math
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from crmflags.errors import InputError, place


class YamlMap(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0

    def __init__(self):
        super().__init__()
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        """Return the line of ``key``, or the mapping's own line if it has none."""
        return self.key_lines.get(key, self.line)


class YamlList(list):
    """A list that knows its own line and the line of each item."""

    line: int = 0

    def __init__(self):
        super().__init__()
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        """Return the line of item ``index``."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


#: The deepest nesting of mappings and lists a file may have.
MAX_DEPTH = 100
#: How many values (scalars, lists, mappings) the aliases of one file may copy in all.
MAX_ALIASED_VALUES = 100_000


class _Limits:
    """The limits of the module documentation, checked as each node is composed."""

    def _start_limits(self) -> None:
        self._depth = 0
        self._aliased = 0
        self._sizes: dict[int, int] = {}
        self._open_anchors: set[str] = set()

    def compose_node(self, parent, index):
        """Compose one node, refusing deep nesting and aliases that copy too much."""
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            node = self.anchors.get(event.anchor)
            if event.anchor in self._open_anchors:
                raise InputError(
                    f"the alias *{event.anchor} is inside its own anchor (a recursive alias)",
                    place(self.name, line),
                )
            if node is not None:
                self._aliased += self._size(node)
                if self._aliased > MAX_ALIASED_VALUES:
                    raise InputError(
                        f"its aliases (*name) copy more than {MAX_ALIASED_VALUES:,} values: "
                        "refused as a YAML bomb; write the values out instead",
                        place(self.name, line),
                    )
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise InputError(
                f"the values are nested more than {MAX_DEPTH} levels deep",
                place(self.name, line),
            )
        if event.anchor is not None:
            self._open_anchors.add(event.anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._open_anchors.discard(event.anchor)

    def _size(self, node: yaml.Node) -> int:
        """Return how many values a composed node holds, itself included (memoised)."""
        known = self._sizes.get(id(node))
        if known is None:
            if isinstance(node, yaml.SequenceNode):
                known = 1 + sum(self._size(item) for item in node.value)
            elif isinstance(node, yaml.MappingNode):
                known = 1 + sum(self._size(k) + self._size(v) for k, v in node.value)
            else:
                known = 1
            self._sizes[id(node)] = known
        return known


class _Loader(_Limits, yaml.SafeLoader):
    """The safe loader, all in Python: its messages are those crmflags shows."""

    def __init__(self, stream):
        super().__init__(stream)
        self._start_limits()


try:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]
except ImportError:  # a PyYAML built without libyaml: _Loader reads every file
    CParser = None  # type: ignore[misc,assignment]


class _FastLoader(_Limits, Composer, SafeConstructor, Resolver, CParser or object):  # type: ignore[misc]
    """The same loader on libyaml's scanner and parser, six times faster on a ruleset.

    Composing (the limits, the lines) and constructing stay the Python ones; a file it
    refuses is read again by :class:`_Loader`, for the message of the Python parser.
    """

    name = ""

    def __init__(self, stream):
        CParser.__init__(self, stream)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        Composer.__init__(self)
        self._start_limits()


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise InputError("a key must be a plain value", place(loader.name, line))
        if key in result:
            raise InputError(f"key {key!r} is given twice", place(loader.name, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList()
    result.line = node.start_mark.line + 1
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.item_lines.append(item.start_mark.line + 1)
    return result


# Dates and times stay text, to be read (and their errors placed) by crmflags' own
# parsers: PyYAML would turn 2026-13-01 into an exception without a line.
for _loader in (_Loader, _FastLoader):
    _loader.yaml_implicit_resolvers = {
        first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def is_finite_number(value) -> bool:
    """Tell whether a YAML value is a plain finite number (not a boolean, .inf or .nan)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def load_yaml(path: Path, text: str | None = None):
    """Parse the YAML file at ``path`` (or ``text`` read from it) into YamlMap/YamlList.

    Raises InputError naming the file and line for unreadable files and YAML syntax
    errors.
    """
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError("no such file", str(path)) from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not UTF-8 text ({exc.reason} at byte {exc.start})", str(path)
            ) from None
        except OSError as exc:
            raise InputError(f"cannot read it ({exc.strerror})", str(path)) from None
    if CParser is not None:
        fast = _FastLoader(text)
        fast.name = str(path)
        try:
            return fast.get_single_data()
        except yaml.YAMLError:
            pass  # read again below, for the Python parser's message and line
        finally:
            fast.dispose()
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(
            f"not valid YAML: {exc.problem or exc.context}", place(path, line)
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", str(path)) from None
    finally:
        loader.dispose()
