package dev.backprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Seed003Test {
    @Test
    void trainingTakesTheErrorBelowOneThousandth() {
        Seed003.Training t = Seed003.train(true, 20_000);
        assertTrue(t.stepsBelow() > 0 && t.finalError() < 0.001, "steps " + t.stepsBelow() + ", error " + t.finalError());
        assertEquals(0.05, t.finalOutput()[0], 0.05);
        assertEquals(0.95, t.finalOutput()[1], 0.05);
    }

    @Test
    void theSectionShowsTheSlipAndIsDeterministic() {
        Seed003 s = new Seed003();
        String a = s.guideSection();
        assertTrue(a.contains("0.794609") && a.contains("0.844681"), a);
        assertEquals(a, s.guideSection());
    }
}
