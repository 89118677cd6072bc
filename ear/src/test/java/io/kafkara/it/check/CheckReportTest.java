package io.kafkara.it.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class CheckReportTest {

    @Test
    void assertNoneListsEachAnomalyWithItsCountAndFirstExamples() {
        CheckReport.Builder builder = new CheckReport.Builder();
        for (int i = 0; i < CheckReport.EXAMPLES_PER_FINDING + 2; i++) {
            builder.add(Finding.LOST, "lost-" + i);
        }
        builder.add(Finding.STUCK, "orders-1 stuck");
        builder.add(Finding.IN_DOUBT_ABORTED, "t1 aborted");
        CheckReport report = builder.build("scope");

        AssertionError failure = assertThrows(AssertionError.class, report::assertNone);

        assertEquals("Anomalies found: " + report
                + "\n  lost 7, e.g.\n    lost-0\n    lost-1\n    lost-2\n    lost-3\n    lost-4"
                + "\n  stuck 1, e.g.\n    orders-1 stuck", failure.getMessage());
    }

    @Test
    void theLineNamesEveryCountAnomaliesFirst() {
        CheckReport.Builder builder = new CheckReport.Builder();
        builder.add(Finding.TORN, "t1");
        builder.add(Finding.IN_DOUBT_COMMITTED, "t2");

        assertEquals("lost 0, duplicate 0, aborted-read 0, reordered 0, torn 1, db-kafka-mismatch 0, stuck 0, "
                + "open-transaction 0, unexpected 0; in-doubt-committed 1, in-doubt-aborted 0, failed-but-written 0 "
                + "(scope)", builder.build("scope").toString());
    }

    @Test
    void theMarkdownRowHasACellUnderEachHeader() {
        CheckReport.Builder builder = new CheckReport.Builder();
        builder.add(Finding.DUPLICATE, "a1 twice");

        List<String> header = List.of(CheckReport.markdownHeader().split("\n"));

        assertEquals("| scenario | lost | duplicate | aborted-read | reordered | torn | db-kafka-mismatch | stuck | "
                + "open-transaction | unexpected | in-doubt-committed | in-doubt-aborted | failed-but-written |",
                header.get(0));
        assertEquals(header.get(0).split("\\|").length, header.get(1).split("\\|").length);
        assertEquals("| keyed, 4 callers | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                builder.build("scope").markdownRow("keyed, 4 callers"));
    }
}
