package dev.backprop.cli;

import dev.backprop.playground.Server;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop playground}: train a network live in the browser and see every gradient as its factors. */
@Command(name = "playground", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Train a network live in your browser, and see each gradient as its chain-rule factors.",
        customSynopsis = "backprop playground [--port N] [--data DATA] [--model SPEC.json]",
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n", footerHeading = "%nExamples:%n",
        description = {"Starts a web server on this machine only (127.0.0.1) and prints its address; the page needs no "
                + "network. Pick a data set or upload a CSV, choose the layers, run, pause, step and rewind, and click a "
                + "weight to see its gradient for the current batch written out: δ, f′(net) and the input, summed over the "
                + "batch, with the optimizer's update and a finite-difference check. Ctrl-C stops it."},
        footer = {"  backprop playground", "  backprop playground --port 8765 --data examples/data/spirals.csv"})
final class PlaygroundCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "The port (default: 7860; 0 for any free one).")
    int port = 7860;

    @Option(names = "--data", paramLabel = "DATA", description = "The first data set: builtin:spirals (default), builtin:xor, "
            + "builtin:iris, builtin:seed003, or a CSV file (its last column the target).")
    String data;

    @Option(names = "--model", paramLabel = "SPEC.json", description = "The first network: a JSON spec, its weights included "
            + "(default: two hidden layers of 8 tanh units).")
    java.nio.file.Path model;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--port must be 0 to 65535, got " + port);
        var d = Server.defaults();
        dev.backprop.data.Table table = null;
        String source = d.data();
        if (data != null && data.startsWith(dev.backprop.data.DataSource.BUILTIN)) {
            source = data;
        } else if (data != null) {
            table = dev.backprop.data.Table.readCsv(java.nio.file.Path.of(data));
            source = "upload";
        }
        dev.backprop.io.NetworkSpec net = model == null ? null : dev.backprop.io.NetworkSpec.parse(model);
        var config = new dev.backprop.playground.Session.Config(source, null, d.layers(), d.activation(), null, d.optimizer(), d.lr(), d.batch(),
                d.seed());
        Server server;
        try {
            server = Server.start(port, config, table, net);
        } catch (java.net.BindException e) {
            throw new IllegalStateException("port " + port + " is taken: choose another with --port (0 for any free one)", e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "playground-stop"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("playground at " + server.address() + "  (Ctrl-C stops it)");
        out.flush();
        stopped.await();
        return 0;
    }
}
