"""Display names for registry ids ("claude-3-5-sonnet-20241022" -> "Claude 3.5 Sonnet"), the dated snapshot an id
names, and the normal form under which two spellings of one name are likely duplicates."""
from __future__ import annotations

import re

# brands whose written form is not title case; everything else alphabetic is title-cased
_BRANDS = {"gpt": "GPT", "deepseek": "DeepSeek", "qwq": "QwQ", "glm": "GLM", "minimax": "MiniMax", "xai": "xAI",
           "openai": "OpenAI", "chatgpt": "ChatGPT", "dall": "DALL", "tts": "TTS", "vl": "VL", "moe": "MoE",
           "nvidia": "NVIDIA", "amd": "AMD", "intel": "Intel", "cpu": "CPU", "gpu": "GPU"}
# qualifiers vendors write in lower case after the name ("GPT-4o mini", "o3-mini")
_LOWER = {"mini", "nano", "turbo", "preview", "exp", "latest"}
_SNAPSHOT = re.compile(
    r"(?:[-@](?:20\d{2}-?\d{2}-?\d{2}|\d{2}-\d{2}|\d{4}|v\d+(?::\d+)?|\d{3})"      # -2024-08-06 -20250219 -0613 @001
    r"|-(?:0[1-9]|1[0-2])-20\d{2})$")                                            # -03-2025


def snapshot_base(model_id: str) -> str:
    """The model a dated snapshot id belongs to: "gpt-4o-2024-08-06" -> "gpt-4o"; other ids unchanged."""
    base = model_id
    while True:
        shorter = _SNAPSHOT.sub("", base)
        if shorter == base or len(shorter) < 2:
            return base
        base = shorter


def model_name(model_id: str) -> str:
    """A readable name for a model id: provider prefix dropped, version digits dotted, brands cased."""
    text = model_id.rsplit("/", 1)[-1]
    if re.fullmatch(r"o\d[\w.-]*", text):
        return text                                 # OpenAI writes its o-series as the id: "o3-mini"
    tokens = [t for t in re.split(r"[-_ ]+", text) if t]
    out: list[str] = []
    for i, tok in enumerate(tokens):
        low = tok.lower()
        if out and re.fullmatch(r"\d", low) and re.fullmatch(r"\d+(?:\.\d+)?", out[-1]) and i > 0 \
                and "." not in out[-1] and len(out[-1]) == 1:
            out[-1] += "." + low                    # "3-5" -> "3.5"
            continue
        if low in _BRANDS:
            out.append(_BRANDS[low])
        elif low in _LOWER and out:
            out.append(low)
        elif re.fullmatch(r"\d+(?:\.\d+)?[bmk]", low):
            out.append(low[:-1] + low[-1].upper())  # "70b" -> "70B"
        elif re.fullmatch(r"[a-z]+\d[\d.]*", low) and (out or len(low) > 3):
            out.append(low.capitalize())            # "kimi-k2.5" -> "Kimi K2.5", "qwen3" -> "Qwen3"
        elif re.fullmatch(r"[a-z]+", low):
            out.append(low.capitalize())
        else:
            out.append(tok)
    name = " ".join(out)
    # GPT and o-series names keep their hyphen: "GPT-4o", "GPT-4.5"
    return re.sub(r"\bGPT (\d)", r"GPT-\1", name)


def duplicate_key(name: str) -> str:
    """Two entity names with one key are likely one thing spelled twice ("GPT 4o", "gpt-4o", "Qwen2.5 (72B)");
    "S10" and "S10+", "1.3B" and "13B" stay apart."""
    text = name.casefold().replace("+", " plus ").replace("™", "").replace("®", "")
    text = re.sub(r"(?<=\d)\.(?=\d)", "·", text)         # a version's dot stays: 1.3B is not 13B
    return re.sub(r"[^\w·]+", "", text)
