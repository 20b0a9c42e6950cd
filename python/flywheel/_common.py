"""Helpers shared by the package's functions: scenario sources, override texts, folders."""

import io
import json
import math
import os
import warnings


# The name a dict scenario goes by in messages and in summary.json's scenario.file.
_DICT_NAME = "<dict>"


def _source(scenario):
    """(name, text): text is None for a file, the YAML (JSON) text for a dict."""
    if isinstance(scenario, dict):
        return _DICT_NAME, json.dumps(scenario, ensure_ascii=False, default=_plain)
    if isinstance(scenario, (str, os.PathLike)):
        return os.fspath(scenario), None
    raise TypeError(f"scenario must be a path or a dict, not {type(scenario).__name__}")


def _numpy_to_python(value):
    """numpy scalars and arrays as Python numbers and lists; anything else unchanged."""
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        return value.tolist()
    return value


def _plain(value):
    """numpy values and paths as plain JSON values."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    converted = _numpy_to_python(value)
    if converted is not value:
        return converted
    raise TypeError(f"{type(value).__name__} is not a scenario value")


def _yaml_value(value):
    """One override value as the text --set would take: a YAML scalar or flow collection."""
    value = _numpy_to_python(value)
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return json.dumps(value, ensure_ascii=False, default=_plain)  # lists and dicts: flow style


def _sets(overrides, replicates=None, seed=None):
    """The --set texts, then --replicates and --seed, in the command line's order."""
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        raise TypeError(f"overrides must be a dict {{'key.path': value}}, "
                        f"not {type(overrides).__name__}")
    sets = [f"{key}={_yaml_value(value)}" for key, value in overrides.items()]
    if replicates is not None:
        sets.append(f"simulation.replicates={_yaml_value(replicates)}")
    if seed is not None:
        sets.append(f"simulation.seed={_yaml_value(seed)}")
    return sets


def _threads(threads):
    threads = int(threads)
    if threads < 0:
        raise ValueError(f"threads is {threads}; expected 0 (all cores) or more")
    return threads


def _csv_frame(text):
    import pandas as pd
    return pd.read_csv(io.StringIO(text))


def _folder(path, what):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{what} must be a path, not {type(path).__name__}")
    return os.fspath(path)


def _report_and_failures(info):
    if info["report_problem"]:
        warnings.warn(f"no report.html: {info['report_problem']}", stacklevel=3)
    if info["failed_units"]:
        warnings.warn(f"{info['failed_units']} units of the sweep in {info['dir']} failed "
                      f"(result.failures, manifest.json); rerun with retry_failed=True",
                      stacklevel=3)

