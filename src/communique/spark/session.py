"""Starting Spark here: a clear error where Java is missing or too old, and local workers that
run this interpreter (the one with communique installed)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping

from pyspark.sql import SparkSession

from communique.errors import ConfigError

# Spark 4 runs on Java 17 or newer; 3.5 on Java 8, 11 or 17.
_JAVA_FOR_SPARK = {3: 8, 4: 17}


def check_java() -> None:
    """Raise `ConfigError` naming the fix when no Java that this PySpark runs on is found: the
    JVM is started by the first SparkSession, and its own error is a bare exit status."""
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    install = (
        "install Java 17, e.g. `sudo apt-get install default-jre-headless` (Debian, Ubuntu) "
        "or `brew install openjdk@17`, or set JAVA_HOME to a Java 17 installation"
    )
    if not java or not os.path.exists(java):
        where = f"JAVA_HOME={home} has no bin/java" if home else "no `java` on PATH"
        raise ConfigError(f"Spark needs Java and none was found ({where}); {install}")
    try:
        probe = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"cannot run {java} ({exc}); {install}") from None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', probe.stderr + probe.stdout)
    if found is None:
        return  # an unusual build: let Spark itself try
    major = int(found.group(1))
    major = int(found.group(2) or 0) if major == 1 else major  # "1.8.0" is Java 8
    import pyspark

    spark_major = int(pyspark.__version__.split(".")[0])
    needed = _JAVA_FOR_SPARK.get(spark_major, 17)
    if major < needed:
        raise ConfigError(
            f"PySpark {pyspark.__version__} needs Java {needed} or newer, and {java} is Java "
            f"{major}; {install}"
        )


def local_session(
    master: str | None = None, app_name: str = "communique", conf: Mapping[str, str] | None = None
) -> SparkSession:
    """The active SparkSession, or a new one (after `check_java`).

    `master`: e.g. local[2]; None leaves it to spark-submit or the Spark defaults (local[*]).
    A session started here on this machine runs its Python workers with this interpreter (the
    one with communique installed) unless PYSPARK_PYTHON says otherwise; on a cluster the
    executors' Python is the cluster's setting (docs/spark.md)."""
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    launched = "PYSPARK_GATEWAY_PORT" in os.environ  # under spark-submit the JVM runs already
    if not launched:
        check_java()
        if master is None or master.startswith("local"):
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
