"""Shared code for *GPU Economics, Checked*: data loading and validation, claim checks,
finance maths and chart style. Each chapter keeps its own arithmetic visible; only what
several chapters need lives here."""

__version__ = "0.3.0"
