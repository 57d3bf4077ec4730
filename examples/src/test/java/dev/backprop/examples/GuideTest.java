package dev.backprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/seeds.md is what the examples print: regenerate it with ./backprop example --write-guide docs/seeds.md. */
class GuideTest {
    @Test
    void theCommittedGuideIsWhatTheCodeComputes() throws Exception {
        Path guide = Path.of("..", "docs", "seeds.md");
        String committed = Files.readString(guide);
        assertEquals(Seeds.guide(), committed,
                "docs/seeds.md is out of date: run ./backprop example --write-guide docs/seeds.md and review the change");
    }
}
