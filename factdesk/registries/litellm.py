"""LiteLLM's model price and context-window registry (`model_prices_and_context_window.json`, MIT, BerriAI).

Only first-party entries are read: a model's price is its maker's price (OpenAI for GPT, Anthropic for Claude,
Google for Gemini, ...), never a host's. Dated snapshots are aliases of their model; a snapshot whose price or
window differs from the model's keeps its value under an attribute that names the snapshot.
"""
from __future__ import annotations


from ..errors import ImportFormatError
from . import Registry, Rows, Snapshot, load_json, number, plain
from .naming import model_name, snapshot_base

ORIGIN = "LiteLLM registry"
# the providers that sell their own models, and the id prefixes of the models that are theirs
FIRST_PARTY = {
    "openai": ("gpt", "o1", "o3", "o4", "chatgpt", "text-embedding", "codex", "computer-use"),
    "text-completion-openai": ("gpt", "davinci", "babbage"),
    "anthropic": ("claude",),
    "gemini": ("gemini", "gemma"),
    "deepseek": ("deepseek",),
    "mistral": ("mistral", "codestral", "devstral", "ministral", "magistral", "pixtral", "open-mistral",
                "open-mixtral", "open-codestral"),
    "xai": ("grok",),
    "dashscope": ("qwen", "qwq"),
    "moonshot": ("kimi", "moonshot"),
    "zai": ("glm",),
    "meta_llama": ("llama",),
    "cohere_chat": ("command", "c4ai"),
    "ai21": ("jamba",),
    "amazon_nova": ("nova",),
    "minimax": ("minimax",),
}
MODES = {"chat", "completion", "responses", "embedding"}
# registry field -> (attribute, unit, scale to the unit)
FIELDS = (
    ("input_cost_per_token", "input price per 1M tokens", "USD", 1e6),
    ("output_cost_per_token", "output price per 1M tokens", "USD", 1e6),
    ("cache_read_input_token_cost", "cached input price per 1M tokens", "USD", 1e6),
    ("input_cost_per_token_batches", "batch input price per 1M tokens", "USD", 1e6),
    ("output_cost_per_token_batches", "batch output price per 1M tokens", "USD", 1e6),
    ("max_input_tokens", "context window", "tokens", 1),
    ("max_output_tokens", "max output tokens", "tokens", 1),
)


def _first_party(key: str, entry: dict) -> bool:
    prefixes = FIRST_PARTY.get(entry.get("litellm_provider") or "")
    model = key.rsplit("/", 1)[-1].lower()
    return bool(prefixes) and model.startswith(prefixes) and not model.startswith("ft:") \
        and "latest" not in model and entry.get("mode") in MODES


def read(files: list[tuple[str, str]], snap: Snapshot) -> Rows:
    """Fact rows for every first-party model of the registry file(s)."""
    rows = Rows()
    for name, text in files:
        data = load_json(name, text)
        if not isinstance(data, dict):
            raise ImportFormatError(f"{name}: a LiteLLM registry is one JSON object of model entries",
                                    code="FD304")
        _read_entries(rows, data, snap)
    return rows


def _read_entries(rows: Rows, data: dict, snap: Snapshot) -> None:
    models: dict[str, list[tuple[int, str, dict]]] = {}
    for item, (key, entry) in enumerate(data.items(), start=1):
        if key == "sample_spec":
            continue
        if not isinstance(entry, dict):
            rows.bad(item, f"entry '{key[:40]}' is not an object")
            continue
        if not entry.get("litellm_provider") or not entry.get("mode"):
            continue                       # provider-less entries are LiteLLM's own routing names
        if not _first_party(key, entry):
            continue
        model = key.rsplit("/", 1)[-1]
        models.setdefault(snapshot_base(model).lower(), []).append((item, model, entry))
    for base, entries in models.items():
        entity = model_name(base)
        # the undated entry speaks for the model; without one, the newest snapshot does
        entries.sort(key=lambda e: (e[1].lower() != base, e[1]), reverse=False)
        lead = entries[0] if entries[0][1].lower() == base else max(entries, key=lambda e: e[1])
        first: dict[str, str] = {}      # attribute -> the model's own value
        for item, model, entry in [lead] + [e for e in entries if e is not lead]:
            rows.alias(item, entity, model)
            for field, attribute, unit, scale in FIELDS:
                try:
                    value = number(entry.get(field))
                except ValueError:
                    rows.bad(item, f"entry '{model[:40]}': {field} is {entry.get(field)!r:.30}, not a number")
                    continue
                if value is None or value <= 0:
                    continue
                text = plain(value * scale)
                if attribute not in first:
                    first[attribute] = text
                elif first[attribute] == text:
                    continue
                else:
                    attribute = f"{attribute} (snapshot {model})"
                source = entry.get("source") if str(entry.get("source", "")).startswith(("http://", "https://")) \
                    else snap.url
                rows.fact(item, entity, attribute, text, unit, snap.as_of, source,
                          f"LiteLLM registry entry '{model}' ({entry['litellm_provider']}): {field} = "
                          f"{entry.get(field)}")
            date = entry.get("deprecation_date")
            if isinstance(date, str) and len(date) == 10 and model.lower() == lead[1].lower():
                src = entry.get("deprecation_source") or entry.get("source") or snap.url
                rows.fact(item, entity, "deprecation date", date, "date", snap.as_of,
                          src if str(src).startswith(("http://", "https://")) else snap.url,
                          f"LiteLLM registry entry '{model}': deprecation_date = {date}")


REGISTRY = Registry("litellm", ORIGIN, "*.json", read,
                    "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json",
                    "LiteLLM model prices and context windows (MIT)", accuses=True)
