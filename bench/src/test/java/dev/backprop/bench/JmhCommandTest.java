package dev.backprop.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmhCommandTest {
    @Test
    void argumentsAfterJmhGoToJmhVerbatim() {
        List<String> args = List.of("Sgemm", "-p", "n=1024", "-f", "1", "-wi", "1", "-w", "100ms", "-h", "-l");
        String[] line = Stream.concat(Stream.of("jmh"), args.stream()).toArray(String[]::new);
        ParseResult parsed = new CommandLine(new Main()).parseArgs(line);
        JmhCommand jmh = (JmhCommand) parsed.subcommand().commandSpec().userObject();
        assertEquals(args, jmh.jmhArguments());
    }

    @Test
    void helpSaysWhatRunsWithExamples() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main()).setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("jmh", "--help"));
        String help = out.toString();
        assertTrue(help.contains("JMH") && help.contains("./backprop bench jmh Sgemm -p n=1024"), help);
    }
}
