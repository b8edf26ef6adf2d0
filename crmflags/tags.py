"""The risk tag vocabulary (``shared/spec/conditions.md``).

Tag names are written into users' CRMs: they are stable, lower_snake_case English.
"""

TAGS: dict[str, str] = {
    "late_payer": "pays late, chronically slow to pay",
    "underpaying": "pays too little for the work",
    "invoice_disputes": "disputes or haggles over invoices",
    "scope_creep": "wants more than the contract, without pay",
    "after_hours": "calls and writes at night and on weekends",
    "unrealistic_expectations": "impossible deadlines, unreasonable demands",
    "indecisive": "keeps changing their mind",
    "stalling": "drags feedback and approvals out",
    "disrespectful": "rude, ignores your expertise",
    "abusive": "threats, harassment, insults",
    "ignores_advice": "ignores advice, then wants the result fixed",
    "dishonest": "twists what was agreed",
    "plays_competitors": "uses competitors' quotes to push terms down",
    "legal_risk": "could pull you into legal trouble",
    "demoralizes_team": "the team dislikes working with them",
    "time_drain": "takes far more time than the money they bring",
    "gut_feeling": "it does not feel right",
}

#: Levels from best to worst; a ruleset's bands give the score where each begins.
LEVELS = ("ok", "watch", "warning", "fire")
