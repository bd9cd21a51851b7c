"""The solver's search budgets: how much work each phase may spend, counted in rule checks and
cost evaluations (`State.checks`), never in seconds, so a roster is the same on any machine.
Read as `budgets.NAME` where used: a test or a benchmark sets one in one place."""

REPAIR_BUDGET = 4000  # conflict checks per unfilled position in the repair phase
# ... and for the whole solve, per (position, eligible person) pair: a short-staffed month,
# where most unfilled places cannot be filled by any chain, costs no more than a feasible one
REPAIR_EFFORT = 2
IMPROVE_ROUNDS = 8
RESCUE_PLACES = 4  # at most this many places left open get ...
RESCUE_BUDGET = 25000  # ... this many checks each, once (a later seat: no more than the repair's)
# levelling comparable staff, the whole solve: cost evaluations per position, at least a floor
# (a month of a small site needs a few thousand; a year of a large one must stay in seconds)
LEVEL_EFFORT = 16
LEVEL_FLOOR = 20000
LEVEL_PAIRS = 3  # (most loaded, least loaded) pairs of a group tried per metric and round
BLOCK_DAYS = (2, 4, 7)  # windows of days two people exchange whole, ...
BLOCK_DAYS_BEYOND = (1, 2, 3, 4, 5, 6, 7, 10, 14)  # ... every length when those find nothing
OPEN_TRIES = 3  # open places like a given one, nearest first, tried in a levelling trade
# an odd one above leaving a weekend or holiday place open for a chain to fill one like it
# (`_lower_through`): the chains tried per person (after who can take it at once), ...
LOWER_CHAINS = 4
LOWER_DEPTH = 3  # ... people giving up a place in a chain at most (the one above may be two)
LOWER_BUDGETS = (1500, 4000)  # ... the checks per chain, a pass each (S at three quarters:
# 1,350-1,700 found, one in 3,300), ...
LOWER_REACH = 24 * 3600  # ... the seconds its places start at most before or after both ends
LOWER_EFFORT = 8  # ... and all of a solve's within this many checks per position, at least ...
LOWER_FLOOR = 8000  # ... this many (S at three quarters: two chains and two direct ones)
RAISE_TRIES = 12  # open places with more of a count tried for each one below, ...
RAISE_NODES = 160  # ... and changes applied in all by the search (`_raise_below`), ...
RAISE_MENDS = 4  # ... and raises of another count it widened, at most (`_mend_raised`);
# each of these again for the second pass with shifts moved aside (`_aside`), which runs only
# where the first found nothing
RESHARE_WEEKS = 2  # weeks two people re-share whole per try, ...
RESHARE_PLACES = 40  # ... when this few places are held or open in it, ...
RESHARE_LATE_PLACES = 48  # ... or this few after levelling's rounds (`_level_hours_late`), ...
RESHARE_NODES = 3000  # ... searching this many assignments at most, ...
RESHARE_EFFORT = 8  # checks per position for re-sharing in levelling's rounds, at least a
# floor, and as much again after them (`_level_hours_late`)
RESHARE_FLOOR = 20000  # (a quarter of a small site: a few re-shares of a week each)
SWAP_DAYS = 6  # the year's last month: two people swap what they hold over this many days
# at most, around a week still to re-share (`_swap_days`)
MEND_TRIES = 4  # ... then levelling each count it widened at most this many times
# the cover's and augment's mend of one change (`Filling._mending`): at most this many checks.
# L at three quarters of its staff, seed 4: augment's mends kept took a median 407 checks (the
# most 6,205), its 42 failed ones a median 2,148 and up to 14,394 (180,559 in all); the
# cover's failed ones a median 8,026, up to 24,899
MEND_BUDGET = 4000
RECOUNT_WEEKS = 4  # weeks where a holds more of a count than b, re-shared whole per try, ...
RECOUNT_EFFORT = 8  # ... within this many checks per position for the whole solve
# the least loaded re-planning their own days over three weeks (`_replan`): checks per
# position for the whole solve, at least a floor
REPLAN_EFFORT = 8
REPLAN_FLOOR = 20000
COVER_EFFORT = 32  # the last chains for open places: checks per position for the whole solve,
COVER_BUDGET = 1000  # ... and per place
AUGMENT_EFFORT = 32  # then re-packs and longer chains (`_augment`): checks per position, ...
AUGMENT_BUDGET = 4000  # ... and per search, ...
AUGMENT_FLOOR = 20000  # ... and at least this many in all (a small site's month); of what
# the cheaper searches leave, the re-packs by two again and by three take at most this many
# checks per position
THREES_EFFORT = 28
# augment's chains stop once this many checks per position fill nothing, ...
STALL_EFFORT = 10
STALL_FLOOR = 2000  # ... at least this many (a small site's month), ...
STALL_LONG = 8000  # ... and where they stalled after more, the re-packs by three are left out
CHAIN_DEPTH = 4  # people giving up a place to the next in one chain, at most
# a person's week planned anew for more places, as many hours and counts (`Filling.pack_weeks`):
PACK_EFFORT = 16  # checks per position for the whole step (at least PACK_FLOOR), ...
PACK_BUDGET = 2000  # ... at most this many per person's week, ...
PACK_NODES = 100  # ... its search this many calls at most (a place taken or passed)
PACK_FLOOR = 2000  # a few days' period: one week's search at least
REPACK_PEOPLE = 4  # the people with the most hours left in a week, re-packed by twos, ...
REPACK_NODES = 500  # ... (or threes) searching this many assignments at most per try
TEAM_PEOPLE = 5  # a role's week re-shared whole among all its staff (`_repack_team`) ...
TEAM_WEEKS = 400  # ... when each has at most this many possible weeks, ...
TEAM_CHANGES = 4  # ... each at most this many places from what the person held, ...
TEAM_NODES = 20000  # ... searching this many shares at most, ...
TEAM_EFFORT = 16  # ... within this many checks per position for the whole top-up
FILL_EFFORT = 32  # a continuing month's coverage-first chains (`fill_open`): checks per position,
FILL_FLOOR = 20000  # ... at least this many in all (and for its re-packs after them)
FILL_REPACK_EFFORT = 32  # ... then its weeks re-packed by twos: checks per position
COVER_GIVE_BACK = 2  # the cover's first pass: a group the late re-plans narrowed may end this
# many of the site's shortest shifts apart in hours (a measured figure, not a rule: on L one
# long shift; L at half its staff, seed 4, kept 8,097 places at 12 h with it, 8,084 without);
# its second pass (one more `_augment`, its own effort) lets it back to its spread before the
# re-plans (coverage first)
LONE_EFFORT = 8  # a shift left with nobody of a role taking someone (`seat_lone_shifts`): checks
# per position for the whole step
LONE_FLOOR = 400  # its least, so a period of a few days tries each shift with nobody
# the holes in the coverage rule's hours closed (`close_holes`): checks per position for
# each pass, at least a floor
HOLE_EFFORT = 8
HOLE_FLOOR = 400
LONE_BLOCKERS = 2  # places a shift with nobody's taker may give up for it (`_cleared`)
