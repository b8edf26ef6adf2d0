"""Evaluating clients: metrics, the rule engine, explain, rulesets' examples and backtests."""
