package io.kafkara.it.campaign;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The rounds of a campaign, drawn from a seed (printed, so a run can be repeated): each protocol point
 * {@code hitsPerPoint} times, at a random hit from 1 to {@value #MAX_HIT}, and {@code randomKills} SIGKILLs after
 * a random delay from {@value #MIN_DELAY_MS} to {@value #MAX_DELAY_MS} ms, in a random order.
 */
final class CampaignPlan {

    static final int MAX_HIT = 40;
    static final int MIN_DELAY_MS = 500;
    static final int MAX_DELAY_MS = 8000;

    private CampaignPlan() {
    }

    static List<Fault> draw(long seed, int hitsPerPoint, int randomKills) {
        Random random = new Random(seed);
        List<Fault> faults = new ArrayList<>();
        for (CrashPoint point : CrashPoint.values()) {
            for (int n = 0; n < hitsPerPoint; n++) {
                faults.add(Fault.at(point, 1 + random.nextInt(MAX_HIT)));
            }
        }
        for (int n = 0; n < randomKills; n++) {
            faults.add(randomKill(random));
        }
        Collections.shuffle(faults, random);
        return faults;
    }

    /** One point kill at a point drawn from all, then one random kill: the short campaign of the normal build. */
    static List<Fault> shortCampaign(long seed) {
        Random random = new Random(seed);
        CrashPoint[] points = CrashPoint.values();
        return List.of(Fault.at(points[random.nextInt(points.length)], 1 + random.nextInt(MAX_HIT)),
                randomKill(random));
    }

    private static Fault randomKill(Random random) {
        return Fault.randomAfter(Duration.ofMillis(MIN_DELAY_MS + random.nextInt(MAX_DELAY_MS - MIN_DELAY_MS + 1)));
    }
}
