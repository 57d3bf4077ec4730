#!/usr/bin/env python3
"""backprop's `train` with only --data and --target, against a competent scikit-learn pipeline, on real tables.

For comparison only (never a dependency). Needs Debian's python3-sklearn (and python3-pandas); run it with the
system Python, from the repository root:

    /usr/bin/python3 bench/real-data/compare.py [--splits 5] [--tables iris,wine,...] [--work DIR] [--markdown]

Each table is cut into `--splits` random 70/30 train/test splits (stratified for classes; split k uses seed k).
For each split, both sides see the same train.csv and are scored on the same test.csv, and each side trains
`--seeds` times (default 3) with different random seeds, its score on the split being their mean: on tables of a
few hundred rows one training run's initial weights and batch order move the score by a point or more, on either
side, as one split does.

- backprop: `./backprop train --data train.csv --target T --out m.bpm --quiet`, then
  `./backprop predict --model m.bpm --data test.csv --out p.csv`; nothing else is given (no task, loss, layers,
  epochs or scaling), so the defaults are what is measured. The first seed is the default one; the others are
  `--seed 1`, `--seed 2`, ...
- scikit-learn: a ColumnTransformer (numbers: mean imputation and standard scaling; text: most-frequent
  imputation and one-hot encoding, unknown categories ignored), then MLPClassifier or MLPRegressor with
  hidden_layer_sizes=(64,) and random_state = 100 · split + seed, in three settings: its defaults (max_iter=200);
  max_iter=1000 with standardised regression targets (TransformedTargetRegressor); and the same with
  early_stopping=True. The reference score of a table is the best of the three (the setting a competent user would
  have kept for that table), so backprop is compared with scikit-learn at its best, not at its defaults.

Scores: accuracy for classes, R² for numbers, on the test rows, averaged over the splits (with the standard
deviation over splits). A point is 0.01.

Tables: scikit-learn's bundled iris, wine, breast cancer, digits and diabetes (raw, not the scaled copy, with
'sex' written as text), and two made harder: breast cancer with 15% of its input cells blanked at random (one seed,
before splitting) and diabetes with 10% of its cells (the target's included) written as 'NA'.
"""
import argparse
import json
import warnings
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from sklearn import datasets
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def iris():
    b = datasets.load_iris(as_frame=True)
    df = b.frame.copy()
    df["species"] = [b.target_names[t] for t in b.target]
    return df.drop(columns=["target"]), "species", "classes"


def wine():
    b = datasets.load_wine(as_frame=True)
    return b.frame.rename(columns={"target": "cultivar"}), "cultivar", "classes"


def breast_cancer():
    b = datasets.load_breast_cancer(as_frame=True)
    df = b.frame.copy()
    df["diagnosis"] = [b.target_names[t] for t in b.target]
    return df.drop(columns=["target"]), "diagnosis", "classes"


def digits():
    b = datasets.load_digits(as_frame=True)
    return b.frame.rename(columns={"target": "digit"}), "digit", "classes"


def diabetes():
    b = datasets.load_diabetes(as_frame=True, scaled=False)
    df = b.frame.rename(columns={"target": "progression"})
    df["sex"] = df["sex"].map({1.0: "female", 2.0: "male"})
    return df, "progression", "numbers"


def blank(df, target, fraction, seed, include_target=False):
    """`fraction` of the cells blanked at random (of the inputs, and of the target when asked)."""
    rng = np.random.default_rng(seed)
    out = df.copy().astype(object)
    cols = [c for c in df.columns if include_target or c != target]
    for c in cols:
        mask = rng.random(len(out)) < fraction
        out.loc[mask, c] = np.nan
    return out


def breast_cancer_missing():
    df, t, k = breast_cancer()
    return blank(df, t, 0.15, 1), t, k


def diabetes_missing():
    df, t, k = diabetes()
    return blank(df, t, 0.10, 2, include_target=True), t, k


TABLES = {
    "iris": iris,
    "wine": wine,
    "breast-cancer": breast_cancer,
    "digits": digits,
    "diabetes": diabetes,
    "breast-cancer-15%-missing": breast_cancer_missing,
    "diabetes-10%-NA": diabetes_missing,
}


SKLEARN_SETTINGS = {
    # name: (max_iter, early_stopping, standardised regression targets)
    "defaults": (200, False, False),
    "1000 iterations": (1000, False, True),
    "early stopping": (1000, True, True),
}


def sklearn_score(train, test, target, kind, seed, setting):
    x_train, y_train = train.drop(columns=[target]), train[target]
    x_test, y_test = test.drop(columns=[target]), test[target]
    text = [c for c in x_train.columns if x_train[c].dtype == object and pd.to_numeric(x_train[c], errors="coerce").isna().all()]
    numbers = [c for c in x_train.columns if c not in text]
    for frame in (x_train, x_test):
        for c in numbers:
            frame[c] = pd.to_numeric(frame[c], errors="coerce")
    encode = ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), numbers),
        ("text", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), text),
    ])
    iters, early, scaled = SKLEARN_SETTINGS[setting]
    if kind == "classes":
        model = make_pipeline(encode, MLPClassifier(hidden_layer_sizes=(64,), max_iter=iters, early_stopping=early,
                                                    random_state=seed))
        model.fit(x_train, y_train.astype(str))
        return accuracy_score(y_test.astype(str), model.predict(x_test))
    mlp = MLPRegressor(hidden_layer_sizes=(64,), max_iter=iters, early_stopping=early, random_state=seed)
    model = make_pipeline(encode, TransformedTargetRegressor(regressor=mlp, transformer=StandardScaler()) if scaled else mlp)
    model.fit(x_train, y_train.astype(float))
    return r2_score(y_test.astype(float), model.predict(x_test))


def backprop_score(train_csv, test, target, kind, work, command, extra, seed):
    model = os.path.join(work, "m.bpm")
    predictions = os.path.join(work, "p.csv")
    seeded = ["--seed", str(seed)] if seed > 0 else []
    run(command + ["train", "--data", train_csv, "--target", target, "--out", model, "--quiet"] + seeded + extra,
        os.path.join(work, "train.log"))
    test_inputs = os.path.join(work, "test-inputs.csv")
    test.drop(columns=[target]).to_csv(test_inputs, index=False)
    test.to_csv(os.path.join(work, "test.csv"), index=False)
    run(command + ["predict", "--model", model, "--data", test_inputs, "--out", predictions],
        os.path.join(work, "predict.log"))
    p = pd.read_csv(predictions, keep_default_na=False)
    if kind == "classes":
        return accuracy_score(test[target].astype(str).to_numpy(), p[target].astype(str).to_numpy())
    return r2_score(test[target].astype(float).to_numpy(), p[target].astype(float).to_numpy())


def run(cmd, log):
    with open(log, "w") as out:
        r = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}); see {log}:\n" + open(log).read()[-2000:])


def main():
    warnings.filterwarnings("ignore", message=".*Maximum iterations.*")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--splits", type=int, default=5)
    ap.add_argument("--seeds", type=int, default=3, help="training runs per split and side, averaged")
    ap.add_argument("--tables", default=",".join(TABLES))
    ap.add_argument("--work", default=os.path.join(ROOT, "backprop-out", "real-data"))
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--backprop", default=os.path.join(ROOT, "backprop"), help="the command that runs backprop")
    ap.add_argument("--extra", default="", help="more train options, for experiments (the reported table uses none)")
    ap.add_argument("--no-sklearn", action="store_true", help="score backprop only")
    args = ap.parse_args()
    rows = []
    for name in args.tables.split(","):
        df, target, kind = TABLES[name]()
        ours, seconds = [], []
        theirs = {setting: [] for setting in SKLEARN_SETTINGS}
        for seed in range(args.splits):
            work = os.path.join(args.work, name, str(seed))
            os.makedirs(work, exist_ok=True)
            # Rows whose target is missing stay in the training file (backprop leaves them out and says so);
            # scikit-learn cannot fit on them, and no test row lacks its target.
            has_target = df[target].notna()
            labelled = df[has_target]
            stratify = labelled[target] if kind == "classes" else None
            train, test = train_test_split(labelled, test_size=0.3, random_state=seed, stratify=stratify)
            train_file = pd.concat([train, df[~has_target]]) if (~has_target).any() else train
            train_csv = os.path.join(work, "train.csv")
            train_file.to_csv(train_csv, index=False)
            start = time.time()
            mine = []
            for k in range(args.seeds):
                run_dir = os.path.join(work, f"seed{k}")
                os.makedirs(run_dir, exist_ok=True)
                mine.append(backprop_score(train_csv, test, target, kind, run_dir, args.backprop.split(), args.extra.split(), k))
            ours.append(float(np.mean(mine)))
            seconds.append((time.time() - start) / args.seeds)
            if not args.no_sklearn:
                for setting in SKLEARN_SETTINGS:
                    theirs[setting].append(float(np.mean([sklearn_score(train.copy(), test.copy(), target, kind, 100 * seed + k, setting)
                                                          for k in range(args.seeds)])))
        row = {"table": name, "rows": len(df), "columns": df.shape[1] - 1, "metric": "accuracy" if kind == "classes" else "R²",
               "backprop": float(np.mean(ours)), "backprop_sd": float(np.std(ours)),
               "backprop_seconds": float(np.mean(seconds)), "backprop_splits": ours}
        if not args.no_sklearn:
            means = {setting: float(np.mean(v)) for setting, v in theirs.items()}
            best = max(means, key=means.get)
            row.update({"sklearn": means[best], "sklearn_sd": float(np.std(theirs[best])), "sklearn_setting": best,
                        "sklearn_settings": means, "difference_points": 100 * (float(np.mean(ours)) - means[best])})
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    if args.markdown:
        names = list(SKLEARN_SETTINGS)
        print("| table | rows | inputs | metric | backprop | scikit-learn, best setting | difference (points) | "
              + " | ".join("scikit-learn, " + n for n in names) + " |")
        print("|" + "---|" * (7 + len(names)))
        for r in rows:
            print(f"| {r['table']} | {r['rows']} | {r['columns']} | {r['metric']} | {r['backprop']:.3f} ± {r['backprop_sd']:.3f} "
                  f"| {r['sklearn']:.3f} ± {r['sklearn_sd']:.3f} ({r['sklearn_setting']}) | {r['difference_points']:+.1f} | "
                  + " | ".join(f"{r['sklearn_settings'][n]:.3f}" for n in names) + " |")
    else:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
