"""Rooms: one canonical form for what clerks type, and the site's address scheme.

`normalise` needs no configuration: `3号楼2单元501`, `3栋2单元501室`, `3幢2单元0501` and
`3-2-501` all become `3-2-501` (building-unit-room, room = floor × 100 + number), `3号楼2单元`
becomes `3-2`, `3栋电梯` becomes `3号楼电梯`, and a whole room typed with a slip (`3/2/501`,
`3—2—501`, `三号楼二单元501`, `3-2-5O1`) becomes `3-2-501`; anything else (a place such as
`地下泵房`) is kept with its spaces tidied. The index stores this form, so every spelling
finds the same history.

A site may describe its buildings in dutyctl.yaml (`rooms:`); then a typed room must exist
(`RoomScheme.resolve`), and a refusal suggests the nearest one. Without it, rooms stay free text
(normalised all the same).
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Mapping

from dutyctl.frozen import field, frozen
from dutyctl.patterns import lazy
from dutyctl.folding import half_width

_BUILDING = r"(?P<b>[0-9A-Za-z]{1,6})"
_BUILDING_WORD = r"(?:号楼|號樓|栋|棟|幢|座)"
_SEPARATOR = rf"(?:{_BUILDING_WORD}|号|#|-)"
_UNIT = r"(?P<u>\d{1,3})(?:单元|單元|-)"
_ROOM = r"(?P<r>\d{1,5})(?:室|号|號)?"
_FULL = lazy(rf"{_BUILDING}{_SEPARATOR}{_UNIT}{_ROOM}")
_NO_UNIT = lazy(rf"{_BUILDING}{_SEPARATOR}{_ROOM}")
_UNIT_ONLY = lazy(rf"{_BUILDING}{_BUILDING_WORD}(?P<u>\d{{1,3}})(?:单元|單元)")
_BUILDING_ONLY = lazy(rf"{_BUILDING}{_BUILDING_WORD}")
_BUILDING_PLACE = lazy(rf"{_BUILDING}{_BUILDING_WORD}(?P<rest>\D.*)")
PLACE_BUILDING = "号楼"  # a place inside a building: 3号楼电梯


def _room_number(digits: str) -> str:
    return str(int(digits)) if len(digits) > 3 else digits.lstrip("0") or "0"


_DIGITS_APART = lazy(r"(?<=\d)\s+(?=\d)")


def _compact(text: str) -> str:
    """`text` without its blanks, read as a room's parts: blanks between two digits separate
    them (1-1 101 is 1-1-101, never 1-1101), any other blank is dropped (3栋 2单元 501)."""
    return "".join(_DIGITS_APART.sub("-", half_width(text)).split())


def normalise(text: str) -> str:
    """The canonical spelling of a typed room, unit, building or place (see the module); a
    whole room typed with a slip (3/2/501, 3—2—501 from a Chinese input method, 三号楼二单元501,
    3-2-5O1) is that room: stored, listed and found as 3-2-501, never a room of its own."""
    spelled = _normalise(text)
    if _FULL.fullmatch(spelled) is None:  # not already a whole room: one typed with a slip?
        undone = _FULL.fullmatch(_slips_undone(text))
        # a building of at most three characters: 2026/12/04 is a day, not building 2026
        if undone and len(undone["b"]) <= SLIP_BUILDING:
            return undone.group(0)
    typed = half_width(text).strip()
    if building := _chinese_building(typed):  # 五号楼, 五号楼二单元, 五号楼电梯
        # its number, then a unit's and/or a floor's right after it (五号楼二单元三楼 is
        # 5号楼2单元3楼, as typed so), a room's number after them (五号楼二单元五零一); the
        # place's other words as typed (五号楼门口有一个人, 五号楼统一楼道堆物, 五号楼和六楼)
        rest = typed[building.end():]
        part = _UNIT_AND_FLOOR.match(rest)
        after = rest[part.end():]
        if _ROOM_NUMERALS.fullmatch(after):
            after = _numerals_undone(after)
        numbered = _normalise(_numerals_undone(building.group(0) + part.group(0)) + after)
        # 5, 5-2, 5-1202; a place read (5号楼电梯), or kept as 5号楼2单元3楼 is, its building
        # in digits
        if of_a_building(numbered) or _BUILDING_ONLY.match(_compact(numbered)):
            return numbered
    return spelled


SLIP_BUILDING = 3  # the longest building part a room typed with a slip is read with


def _normalise(text: str) -> str:
    """`normalise` but for the slips: the spellings the patterns read."""
    tidy = " ".join(half_width(text).split())
    compact = _compact(text)
    if match := _FULL.fullmatch(compact):
        return f"{match['b'].upper()}-{int(match['u'])}-{_room_number(match['r'])}"
    if match := _UNIT_ONLY.fullmatch(compact):
        return f"{match['b'].upper()}-{int(match['u'])}"
    if match := _NO_UNIT.fullmatch(compact):
        return f"{match['b'].upper()}-{_room_number(match['r'])}"
    if match := _BUILDING_ONLY.fullmatch(compact):
        return match["b"].upper()
    if match := _BUILDING_PLACE.fullmatch(compact):
        return f"{match['b'].upper()}{PLACE_BUILDING}{match['rest']}"
    return tidy


def is_room(text: str) -> bool:
    """`text` is written as a room (3-2-501, 3号楼2单元501, 3-501): not a place (3号楼电梯,
    地下泵房), a whole building or unit, nor any other word (漏水)."""
    compact = _compact(text)
    return bool(_FULL.fullmatch(compact) or _NO_UNIT.fullmatch(compact))


def reads_as_address(text: str) -> bool:
    """`text` is written as a room, a unit (3号楼2单元), a building (3号楼) or a place of a
    building (3号楼电梯): what `normalise` gives a form of its own. A place such as 地下泵房
    only a site's scheme can tell from a word (漏水)."""
    compact = _compact(text)
    return any(pattern.fullmatch(compact) for pattern in (
        _FULL, _UNIT_ONLY, _NO_UNIT, _BUILDING_ONLY, _BUILDING_PLACE))


def of_a_building(key: str) -> bool:
    """A place as `normalise` keeps it that is in a building: a room, a unit, a building
    (kept as its number alone: 5 for 5号楼) or a place of one (5号楼电梯)."""
    return reads_as_address(key) or key.isascii() and key.isalnum()


# The slips a clerk makes typing a room, undone to suggest the room meant (a refusal's "did
# you mean") and, for a whole room (building, unit, room), to store it (`normalise`): another
# dash or separator
# (3—2—501 from a Chinese input method, 3/2/501, 3.2.501; a blank between digits is a
# separator already: `_compact`), Chinese numerals
# (三号楼二单元501), the letter O for a zero (3-2-5O1).
_SLIP_SEPARATORS = lazy(r"\s*[\u2010-\u2015\u2212\u30fc\u2500/\\._、，,\s]+\s*")
_CHINESE_TENS = lazy(r"([一二三四五六七八九])?十([一二三四五六七八九])?")
_CHINESE_DIGITS = str.maketrans("〇零一二两三四五六七八九", "001223456789")
_LETTER_O = lazy(r"(?<=\d)[Oo]|[Oo](?=\d)")


#: a building written in Chinese numerals (五号楼, 十二栋): the building, its units and places
#: are stored by its number (5, 5-2, 5号楼电梯) as 5号楼's are; not 两栋 (two buildings:
#: 两栋之间) nor 三栋楼 (three of them), nor 一二号楼 (buildings 1 and 2, never 12: 十二号楼)
_CHINESE_BUILDING = lazy(r"(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[〇零一二三四五六七八九])"
                         r"(?:号楼|號樓|栋|棟|幢)(?!楼|樓)")


#: buildings or units listed by their numerals (一二号楼: buildings 1 and 2, or one of them;
#: 三四栋; 五号楼一二单元): never read as one number (12), a room typed with them is kept as
#: typed
_BUILDINGS_LISTED = lazy(r"[〇零一二两三四五六七八九]{2,}(?:号楼|號樓|栋|棟|幢|座|单元|單元)")


_UNITS_LISTED = lazy(r"[〇零一二两三四五六七八九]{2,}(?:单元|單元)")


#: a unit's and/or a floor's number in Chinese numerals right after a building's (五号楼二单元
#: 三楼, 五号楼十二层): read as the building's is; not 两 (两单元之间: two units), numerals
#: listed (一二楼: floors 1, 2) nor a floor further on in the place's words (五号楼统一楼道堆物,
#: 五号楼和六楼, 五号楼几十楼)
_PART_NUMBER = (r"第?(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[〇零一二三四五六七八九])"
                r"(?![〇零一二两三四五六七八九十])")
_UNIT_AND_FLOOR = lazy(rf"\s*(?:{_PART_NUMBER}(?:单元|單元))?\s*(?:{_PART_NUMBER}(?:楼|樓|层|層))?")
#: a room's number in Chinese numerals after its building and unit (五号楼二单元五零一)
_ROOM_NUMERALS = lazy(r"\s*[〇零一二两三四五六七八九十]+\s*(?:室|号|號)?")


def _chinese_building(text: str) -> re.Match | None:
    """The building numbered in Chinese (五号楼, 十二栋) that `text` begins with, typed
    (half-width, stripped): its numerals are read as digits (`_numerals_undone`). None when
    `text` lists units by their numerals (五号楼一二单元501: unit 1 or 2?): the whole is kept
    as typed, as one of buildings listed so is (一二号楼二单元501)."""
    typed = half_width(text).strip()
    return None if _UNITS_LISTED.search(typed) else _CHINESE_BUILDING.match(typed)


def _numerals_undone(text: str) -> str:
    """`text` with its Chinese numerals in digits (十二号楼三单元 -> 12号楼3单元); buildings
    listed by their numerals (一二号楼二单元501) keep theirs."""
    typed = half_width(text).strip()
    listed = _BUILDINGS_LISTED.search(typed)
    if listed is not None:
        return (_numerals_undone(typed[:listed.start()]) + listed.group(0)
                + _numerals_undone(typed[listed.end():]))
    typed = _CHINESE_TENS.sub(lambda match: str(
        10 * (int(match[1].translate(_CHINESE_DIGITS)) if match[1] else 1)
        + (int(match[2].translate(_CHINESE_DIGITS)) if match[2] else 0)), typed)
    return typed.translate(_CHINESE_DIGITS)


def _slips_undone(text: str) -> str:
    """`text` with the slips above undone, then normalised (3—2—501 -> 3-2-501)."""
    typed = _LETTER_O.sub("0", _numerals_undone(text))
    return _normalise(_SLIP_SEPARATORS.sub("-", typed))


def reads_as_room(text: str) -> bool:
    """`text` is written as a room, however mistyped (3-2-5O1, 3/2/501, 三号楼二单元501):
    what a clerk meant as one, not a place (商铺1-05, B1-泵房)."""
    return is_room(text) or is_room(_slips_undone(text))


def matches(place: str | None, wanted: str) -> bool:
    """Does a record's place fall under `wanted` (normalised): the room itself, or a building
    or unit holding it (`3`, `3-2`), or a place of that building (`3号楼电梯` under `3`)."""
    if not place:
        return False
    key = normalise(place)
    return key == wanted or key.startswith(wanted + "-") or key.startswith(wanted + PLACE_BUILDING)


def index_ranges(wanted: str) -> list[tuple[str, str]]:
    """The [low, high) ranges of normalised places under `wanted`, for an indexed column."""
    return [(wanted + "-", wanted + "."),  # "." follows "-": everything starting "3-2-"
            (wanted + PLACE_BUILDING, wanted + PLACE_BUILDING + "\U0010ffff")]


@frozen
class Building:
    id: str
    units: int  # 0: rooms are numbered in the building itself
    floors: tuple[int, int]  # first and last floor
    rooms_per_floor: int

    def unit_range(self) -> range:
        return range(1, self.units + 1)

    def room_of(self, floor: int, number: int) -> int:
        return floor * 100 + number


@frozen
class RoomScheme:
    buildings: Mapping[str, Building] = field(default_factory=dict)
    # normalised and case-folded (地下车库b2 is 地下车库B2) -> as configured
    places: Mapping[str, str] = field(default_factory=dict)
    #: buildings dutyctl.yaml names but the scheme could not read (`floors: 六`): said once
    #: as the config's problem, their rooms are taken as typed (there is nothing to judge by)
    unread: frozenset = frozenset()

    def resolve(self, text: str) -> str:
        """The canonical room or place for a typed one; InputError with a suggestion when the
        site has no such room, saying so when it is a whole building or unit."""
        from dutyctl.errors import InputError
        from dutyctl.messages import t

        key = normalise(text)
        if key.casefold() in self.places:
            return self.places[key.casefold()]
        if self._exists(key) or key.split("-")[0] in self.unread:
            return key
        area = self.area(key)
        if area is not None:
            raise not_a_room(text, area, self.example(key))
        suggestion = self._meant(text, key) or self.suggest(key)
        if suggestion:
            raise InputError(t("room '{room}' is not in this site's address scheme "
                               "(dutyctl.yaml rooms:); did you mean {suggestion}?",
                               room=text.strip(), suggestion=suggestion))
        if not self.buildings and not self.unread:  # no form of a room to show
            raise self._places_only(text)
        raise InputError(t("room '{room}' is not in this site's address scheme "
                           "(dutyctl.yaml rooms:); write building-unit-room, like {example}, or a "
                           "place it lists",
                           room=text.strip(), example=self.example(key)))

    def _places_only(self, text: str) -> Exception:
        """The refusal of a room where the scheme lists places and no building: its places
        (the first few), not a made-up room to copy."""
        from dutyctl.choices import several
        from dutyctl.errors import InputError
        from dutyctl.messages import t

        return InputError(t("room '{room}' is not in this site's address scheme (dutyctl.yaml "
                           "rooms:), which lists no building, only places: {places}",
                           room=text.strip(), places=several(list(self.places.values()), str)))

    def _meant(self, text: str, key: str) -> str | None:
        """The room (or place) `text` means once a clerk's slip is undone (_slips_undone):
        itself when the scheme has it, else the nearest one; None when there is no slip."""
        undone = _slips_undone(text)
        if undone == key:
            return None
        if undone.casefold() in self.places:
            return self.places[undone.casefold()]
        if self._exists(undone):
            return undone
        return self.suggest(undone) if self._parts(undone) is not None else None

    def home(self, text: str) -> str:
        """`resolve` for where a resident lives (the register): a room, never a place of the
        site (3号楼电梯, 地下泵房)."""
        key = self.resolve(text)
        if key in self.places.values():
            raise not_a_home(text, self.example(""))
        return key

    def area(self, key: str) -> str | None:
        """"building" or "unit" when `key` is a whole building or unit of the scheme."""
        building_id, _, unit = key.partition("-")
        building = self.buildings.get(building_id)
        if building is None:
            return None
        if not unit:
            return "building"
        if building.units and unit.isdigit() and int(unit) in building.unit_range():
            return "unit"
        return None

    def example(self, key: str) -> str:
        """A room of the scheme to show as the form to write: the first of the building and
        unit `key` names when it names one, else the first of the site."""
        building_id, _, unit = key.partition("-")
        building = self.buildings.get(building_id)
        if building is None:
            return next(self.rooms(), "3-2-501")
        room = building.room_of(building.floors[0], 1)
        if not building.units:
            return f"{building.id}-{room}"
        number = int(unit) if unit.isdigit() and int(unit) in building.unit_range() else 1
        return f"{building.id}-{number}-{room}"

    def resolve_area(self, text: str) -> str:
        """Like `resolve`, but a whole building (`3`) or unit (`3-2`) is accepted too."""
        key = normalise(text)
        building = self.buildings.get(key.split("-")[0])
        if building is not None and (key == building.id or (
                building.units and key.count("-") == 1 and key.split("-")[1].isdigit()
                and int(key.split("-")[1]) in building.unit_range())):
            return key
        return self.resolve(text)

    def _parts(self, key: str) -> tuple[Building, int, int, int] | None:
        """(building, unit, floor, number) of a canonical room, whether it exists or not."""
        pieces = key.split("-")
        building = self.buildings.get(pieces[0])
        if building is None or len(pieces) != (3 if building.units else 2):
            return None
        if not all(piece.isdigit() for piece in pieces[1:]):
            return None
        unit = int(pieces[1]) if building.units else 0
        room = int(pieces[-1])
        return building, unit, room // 100, room % 100

    def _exists(self, key: str) -> bool:
        parts = self._parts(key)
        if parts is None:
            return False
        building, unit, floor, number = parts
        return ((not building.units or unit in building.unit_range())
                and building.floors[0] <= floor <= building.floors[1]
                and 1 <= number <= building.rooms_per_floor)

    def suggest(self, key: str) -> str | None:
        """The nearest existing room (each part brought into its range), else the closest
        building or place by spelling."""
        import difflib

        parts = self._parts(key)
        if parts is not None:
            building, unit, floor, number = parts
            prefix, typed = key.rsplit("-", 1)
            numbers = [str(building.room_of(floor_, number_))
                       for floor_ in range(building.floors[0], building.floors[1] + 1)
                       for number_ in range(1, building.rooms_per_floor + 1)]
            if ((not building.units or unit in building.unit_range())
                    and len(typed) not in {len(other) for other in numbers}):
                # a digit left out (3-2-50 for 3-2-501) or one too many (3-2-5011), where no
                # room of the building has as many digits: the first room of that unit
                # written with the digits typed, in their order
                for other in numbers:
                    if _one_left_out(typed, other) or _one_left_out(other, typed):
                        return f"{prefix}-{other}"
            unit = min(max(unit, 1), building.units)
            floor = min(max(floor, building.floors[0]), building.floors[1])
            number = min(max(number, 1), building.rooms_per_floor)
            room = building.room_of(floor, number)
            return f"{building.id}-{unit}-{room}" if building.units else f"{building.id}-{room}"
        building_id, _, rest = key.partition("-")
        if rest and self.buildings and building_id not in self.buildings:
            # the closest spelling among the buildings that have the rest (unit, room) as typed
            close = difflib.get_close_matches(building_id, list(self.buildings), n=len(
                self.buildings), cutoff=0.3)
            fitting = [other for other in close if self._exists(f"{other}-{rest}")]
            if fitting or close:
                return self.suggest(f"{(fitting or close)[0]}-{rest}")
        close = difflib.get_close_matches(key.casefold(), list(self.places), n=1, cutoff=0.5)
        return self.places[close[0]] if close else None

    def rooms(self):
        """Every room of the scheme in canonical form (for completion and tests)."""
        for building in self.buildings.values():
            for unit in (building.unit_range() if building.units else (0,)):
                for floor in range(building.floors[0], building.floors[1] + 1):
                    for number in range(1, building.rooms_per_floor + 1):
                        room = building.room_of(floor, number)
                        yield (f"{building.id}-{unit}-{room}" if building.units
                               else f"{building.id}-{room}")


def _one_left_out(shorter: str, longer: str) -> bool:
    """`longer` with one digit taken out is `shorter` (50 of 501, 501 of 5011)."""
    return len(longer) == len(shorter) + 1 and any(
        longer[:at] + longer[at + 1:] == shorter for at in range(len(longer)))


def shown(scheme: RoomScheme | None, key: str | None, area: bool = False) -> str | None:
    """A stored room as residents say it: a whole building `3` is 3号楼 and a unit `3-2`
    3号楼2单元 (the stored form would read as a room number); a room (3-2-501) or a place as
    stored. A bare number is a building whether the scheme has it or not: a place typed as
    4号楼 where the scheme has no building 4 is kept (rooms.place) and still reads 4号楼.
    `area`: the key is asked for as a building or unit (`房号 5-2`), so where no scheme says,
    a building and a unit of 1 or 2 digits (5-2, A-2: A座301 is A-301) read as a unit too,
    5号楼2单元, A座2单元."""
    from dutyctl.messages import t

    if not key:
        return key
    building_id, dash, unit = key.partition("-")
    if (area and scheme is None and dash and building_id.isascii() and building_id.isalnum()
            and unit.isdigit() and len(unit) <= 2):
        return t("building {building}, unit {unit}", building=building_id, unit=unit) \
            if building_id.isdigit() else t("block {building}, unit {unit}",
                                            building=building_id, unit=unit)
    building = scheme.buildings.get(building_id) if scheme is not None else None
    if not unit and (building is not None or key.isdigit()):
        return t("building {building}", building=key)
    if (building is not None and building.units and unit.isdigit()
            and int(unit) in building.unit_range()):
        return t("building {building}, unit {unit}", building=building_id, unit=unit)
    return key


def canonical(scheme: RoomScheme | None, text: str, home: bool = False) -> str:
    """What a typed room is stored as: resolved against the scheme, else normalised. `home`:
    where a resident lives (the register), a room of the scheme, not a place."""
    if scheme is None:
        return _free_home(text) if home else normalise(text)
    return scheme.home(text) if home else scheme.resolve(text)


FREE_EXAMPLE = "3-2-501"  # the form a room is written in, where no scheme gives one of its own


def _free_home(text: str) -> str:
    """A resident's room on a site without a scheme: free text, but never what reads as a
    whole building or unit, or a place inside a building (3号楼电梯): nobody lives there."""
    compact = _compact(_numerals_undone(text) if _chinese_building(text)
                       else text)  # 五号楼 is a whole building as 5号楼 is
    if _BUILDING_PLACE.fullmatch(compact):
        raise not_a_home(text, FREE_EXAMPLE)
    if _BUILDING_ONLY.fullmatch(compact):
        raise not_a_room(text, "building", FREE_EXAMPLE)
    if _UNIT_ONLY.fullmatch(compact):
        raise not_a_room(text, "unit", FREE_EXAMPLE)
    return normalise(text)


def not_a_home(text: str, example: str):
    """The refusal of a place (3号楼电梯) as where a resident lives."""
    from dutyctl.errors import InputError
    from dutyctl.messages import t

    return InputError(t("'{place}' is a place of the site, not a room: a resident is "
                        "registered at the room they live in, like {example}",
                        place=text.strip(), example=example))


def not_a_room(text: str, area: str, example: str):
    """The refusal of a whole building or unit (`area`) typed as a room."""
    from dutyctl.errors import InputError
    from dutyctl.messages import t

    if area == "building":
        return InputError(t("'{room}' is a whole building, not a room: write the room, "
                            "like {example}", room=text.strip(), example=example))
    return InputError(t("'{room}' is a whole unit, not a room: write the room, like "
                        "{example}", room=text.strip(), example=example))


def place(scheme: RoomScheme | None, text: str) -> str:
    """Where something happens (an emergency's `--where`): a room or place of the scheme in
    its canonical form, else the text as typed (全小区, 东门外), normalised."""
    from dutyctl.errors import InputError

    if scheme is not None:
        try:
            return scheme.resolve(text)
        except InputError:
            pass
    return normalise(text)


def parse_scheme(section) -> RoomScheme | None:
    """`rooms:` of dutyctl.yaml (a schema.Fields); every problem goes to its path:line."""
    from dutyctl import configkeys
    from dutyctl.messages import t

    if section is None:
        return None
    section.unknown(("buildings", "places"), configkeys.ROOMS)
    buildings, unread = {}, set()
    entries = section.mapping("buildings", required=False)
    for key in (entries.data if entries is not None else ()):
        building_id = normalise(str(key))
        unread.add(building_id)  # until it is read whole
        sub = entries.mapping(key)
        if sub is None or not sub.ok:
            continue
        if "-" in building_id or not building_id.isalnum():
            sub.problem(None, t("a building id is letters or digits, like \"3\" or \"A\""))
            continue
        sub.unknown(("units", "floors", "rooms_per_floor", "lowest_floor"), configkeys.BUILDING)
        units = sub.integer("units", required=False, minimum=0, default=0)
        floors = sub.integer("floors", minimum=1)
        lowest = sub.integer("lowest_floor", required=False, minimum=1, default=1)
        per_floor = sub.integer("rooms_per_floor", minimum=1)
        if per_floor is not None and per_floor > 99:
            sub.problem("rooms_per_floor", t("at most 99 (rooms are numbered floor × 100 + n)"))
            continue
        if None not in (units, floors, lowest, per_floor):
            buildings[building_id] = Building(building_id, units, (lowest, lowest + floors - 1),
                                              per_floor)
            unread.discard(building_id)
    places = {normalise(place).casefold(): place for place in section.text_list("places")}
    if not buildings and not places and not unread:
        return None  # `rooms: {}` lists nothing to judge by: rooms stay free text
    return RoomScheme(MappingProxyType(buildings), MappingProxyType(places),
                      frozenset(unread - set(buildings)))
