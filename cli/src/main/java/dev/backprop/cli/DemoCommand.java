package dev.backprop.cli;

import dev.backprop.explain.SigmoidNetTrace;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop demo}: seed 003's network, one forward and backward pass, every value printed. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Explain one step of backpropagation on seed 003's 2-2-2 sigmoid network, printing every value;",
            "then train a classifier on the built-in spirals, print its accuracy, and save the model and a report."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--out-dir", paramLabel = "DIR", description = "Where to save the model and report (default: backprop-out).")
    java.nio.file.Path outDir = java.nio.file.Path.of("backprop-out");

    private static final String[] IN = {"x1", "x2"};
    private static final String[] HID = {"h1", "h2"};
    private static final String[] OUT = {"o1", "o2"};

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SigmoidNetTrace t = SigmoidNetTrace.seed003();
        print(out, t);
        out.println();
        out.println("Now a classifier: a 2-64-64-2 ReLU network learns two interleaved spirals (builtin:spirals) with Adam.");
        out.flush();
        java.nio.file.Files.createDirectories(outDir);
        TrainCommand train = new TrainCommand();
        train.spec = spec;
        train.data = "builtin:spirals";
        train.epochs = 60;
        train.lr = 0.01;
        train.out = outDir.resolve("spirals.bpm");
        train.report = outDir.resolve("spirals-report.html");
        TrainCommand.Result r = train.run(dev.backprop.train.Progress.auto(System.err));
        Printing.summary(out, r);
        out.println("Open " + r.reportTo().toAbsolutePath() + " in a browser to see the curves, the confusion matrix and the network.");
        out.flush();
        return 0;
    }

    private static String n(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** A factor inside a product or sum: negative numbers in parentheses, so "a · (−b)" reads unambiguously. */
    private static String f(double v) {
        return v < 0 ? "(" + n(v) + ")" : n(v);
    }

    static void print(PrintWriter out, SigmoidNetTrace t) {
        double[][] w1 = t.w1(), w2 = t.w2();
        double[] b1 = t.b1(), b2 = t.b2();
        out.println("Seed 003: a 2-2-2 sigmoid network, one sample, E = ½ Σ (y − out)², learning rate α = "
                + t.learningRate());
        out.println("Inputs x1 = " + t.input()[0] + ", x2 = " + t.input()[1] + "; targets y1 = " + t.target()[0]
                + ", y2 = " + t.target()[1]);
        out.println();
        out.println("Forward pass");
        for (int j = 0; j < 2; j++) {
            out.printf(Locale.ROOT, "  net(%s) = w(x1→%1$s)·x1 + w(x2→%1$s)·x2 + b1 = %s·%s + %s·%s + %s = %s%n",
                    HID[j], n(w1[j][0]), t.input()[0], n(w1[j][1]), t.input()[1], n(b1[j]), n(t.netHidden()[j]));
            out.printf(Locale.ROOT, "  out(%s) = σ(net(%1$s)) = 1 / (1 + e^−%s) = %s%n",
                    HID[j], n(t.netHidden()[j]), n(t.outHidden()[j]));
        }
        for (int k = 0; k < 2; k++) {
            out.printf(Locale.ROOT, "  net(%s) = w(h1→%1$s)·out(h1) + w(h2→%1$s)·out(h2) + b2 = %s·%s + %s·%s + %s = %s%s%n",
                    OUT[k], n(w2[k][0]), n(t.outHidden()[0]), n(w2[k][1]), n(t.outHidden()[1]), n(b2[k]), n(t.netOutput()[k]),
                    k == 0 ? "   (the tutorial prints 0.794609, an addition slip)" : "");
            out.printf(Locale.ROOT, "  out(%s) = σ(net(%1$s)) = %s%n", OUT[k], n(t.outOutput()[k]));
        }
        out.printf(Locale.ROOT, "  E = ½(y1 − out(o1))² + ½(y2 − out(o2))² = %s%n", n(t.error()));
        out.println();
        out.println("Backward pass: the chain rule, from the output back");
        for (int k = 0; k < 2; k++) {
            out.printf(Locale.ROOT, "  ∂E/∂out(%s) = out(%1$s) − y%d = %s%n", OUT[k], k + 1, n(t.dErrorDOut()[k]));
            out.printf(Locale.ROOT, "  ∂out(%s)/∂net(%1$s) = out(%1$s)(1 − out(%1$s)) = %s%n", OUT[k], n(t.dOutDNet()[k]));
            out.printf(Locale.ROOT, "  δ(%s) = ∂E/∂net(%1$s) = %s · %s = %s%n",
                    OUT[k], f(t.dErrorDOut()[k]), f(t.dOutDNet()[k]), n(t.deltaOutput()[k]));
            for (int j = 0; j < 2; j++) {
                out.printf(Locale.ROOT, "    ∂E/∂w(%s→%s) = δ(%2$s) · out(%1$s) = %s · %s = %s%n",
                        HID[j], OUT[k], f(t.deltaOutput()[k]), f(t.outHidden()[j]), n(t.gradW2()[k][j]));
            }
            out.printf(Locale.ROOT, "    ∂E/∂b2(%s) = δ(%1$s) = %s%n", OUT[k], n(t.gradB2()[k]));
        }
        for (int j = 0; j < 2; j++) {
            out.printf(Locale.ROOT, "  ∂E/∂out(%s) = δ(o1)·w(%1$s→o1) + δ(o2)·w(%1$s→o2) = %s·%s + %s·%s = %s%n",
                    HID[j], f(t.deltaOutput()[0]), f(w2[0][j]), f(t.deltaOutput()[1]), f(w2[1][j]), n(t.dErrorDOutHidden()[j]));
            out.printf(Locale.ROOT, "  δ(%s) = ∂E/∂out(%1$s) · out(%1$s)(1 − out(%1$s)) = %s%n", HID[j], n(t.deltaHidden()[j]));
            for (int i = 0; i < 2; i++) {
                out.printf(Locale.ROOT, "    ∂E/∂w(%s→%s) = δ(%2$s) · %1$s = %s · %s = %s%n",
                        IN[i], HID[j], f(t.deltaHidden()[j]), t.input()[i], n(t.gradW1()[j][i]));
            }
            out.printf(Locale.ROOT, "    ∂E/∂b1(%s) = δ(%1$s) = %s%n", HID[j], n(t.gradB1()[j]));
        }
        out.println();
        out.printf(Locale.ROOT, "Gradient descent: W ← W − α·∂E/∂W with α = %s%n", t.learningRate());
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < 2; i++) {
                out.printf(Locale.ROOT, "  w(%s→%s): %s → %s%n", IN[i], HID[j], n(w1[j][i]), n(t.w1After()[j][i]));
            }
        }
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 2; j++) {
                out.printf(Locale.ROOT, "  w(%s→%s): %s → %s%n", HID[j], OUT[k], n(w2[k][j]), n(t.w2After()[k][j]));
            }
        }
        for (int j = 0; j < 2; j++) out.printf(Locale.ROOT, "  b1(%s): %s → %s%n", HID[j], n(b1[j]), n(t.b1After()[j]));
        for (int k = 0; k < 2; k++) out.printf(Locale.ROOT, "  b2(%s): %s → %s%n", OUT[k], n(b2[k]), n(t.b2After()[k]));
        out.println();
        out.printf(Locale.ROOT, "Error after one step: %s (weights and biases updated); %s (weights only, as the tutorial does)%n",
                n(t.errorAfter()), n(t.errorAfterWeightsOnly()));
        out.printf(Locale.ROOT, "The tutorial's 0.22661423 and 0.224991003 follow from its slip in net(o1); from %s the error falls.%n",
                n(t.error()));
    }
}
