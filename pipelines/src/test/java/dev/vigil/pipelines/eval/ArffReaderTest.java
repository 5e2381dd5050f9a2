package dev.vigil.pipelines.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArffReaderTest {

    private static final String HEADER = "% a comment\n"
            + "@RELATION 'test stream'\n"
            + "\n"
            + "@attribute x NUMERIC\n"
            + "@attribute 'colour name' {red, green, 'light blue'}\n"
            + "@attribute note string\n"
            + "@attribute when date 'yyyy-MM-dd HH:mm'\n"
            + "@attribute class {no,yes}\n"
            + "@data\n";

    private static List<String> readAll(ArffReader reader) throws IOException {
        List<String> out = new ArrayList<>();
        String[] r;
        while ((r = reader.next()) != null) {
            out.add(reader.line() + ":" + Arrays.toString(r));
        }
        return out;
    }

    @Test
    void readsTheHeaderWithTypesAndQuotedNames() throws IOException {
        ArffReader reader = new ArffReader(new StringReader(HEADER));
        assertThat(reader.columns()).containsExactly(
                Column.of("x", Column.Kind.NUMERIC),
                new Column("colour name", Column.Kind.NOMINAL, List.of("red", "green", "light blue")),
                Column.of("note", Column.Kind.STRING),
                Column.of("when", Column.Kind.DATE),
                new Column("class", Column.Kind.NOMINAL, List.of("no", "yes")));
        assertThat(reader.next()).isNull();
    }

    @Test
    void readsDenseAndSparseRowsWithMissingValuesQuotesAndComments() throws IOException {
        String data = "1.5, red, 'hello, world', '2026-03-01 12:30', yes % trailing comment\n"
                + "% comment line\n"
                + "?, 'light blue', \"it\\'s\", ?, no\n"
                + "{0 2.5, 4 yes}\n"
                + "{}\n";
        ArffReader reader = new ArffReader(new StringReader(HEADER + data));
        assertThat(readAll(reader)).containsExactly(
                "10:[1.5, red, hello, world, 1772368200000, yes]",
                "12:[null, light blue, it's, null, no]",
                "13:[2.5, red, null, null, yes]",
                "14:[0, red, null, null, no]");
    }

    @Test
    void badRowsAreRefusedWithTheirLineNumber() throws IOException {
        assertBad("1, red, a, ?, no\n1, purple, a, ?, no\n", 11, "'purple' of nominal attribute 'colour name'");
        assertBad("1, red, a\n", 10, "expected 5 values (the declared attributes), got 3");
        assertBad("1, red, 'open, ?, no\n", 10, "unterminated quote");
        assertBad("1, red, a, yesterday, no\n", 10, "date attribute 'when' does not match its format");
        assertBad("{0 1, 9 2}\n", 10, "sparse index 9 is outside 0..4");
        assertBad("{0 1, 0 2}\n", 10, "sparse index 0 given twice");
        assertBad("{0 1, 4 yes\n", 10, "a sparse row must end with '}'");
        assertBad("1, red, a, ?, no, {3}\n", 10, "instance weights");
    }

    private static void assertBad(String data, long line, String message) throws IOException {
        ArffReader reader = new ArffReader(new StringReader(HEADER + data));
        assertThatThrownBy(() -> {
            while (reader.next() != null) {
                // read to the bad row
            }
        }).isInstanceOf(InputFormatException.class)
                .hasMessageStartingWith("line " + line + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void badHeadersAreRefused() {
        assertThatThrownBy(() -> new ArffReader(new StringReader("@relation r\n@attribute a numeric\n")))
                .hasMessageContaining("no @data");
        assertThatThrownBy(() -> new ArffReader(new StringReader("@relation r\n@attribute a relational\n@data\n")))
                .hasMessageContaining("relational attributes are not supported");
        assertThatThrownBy(() -> new ArffReader(new StringReader("@relation r\n@attribute a complex\n@data\n")))
                .hasMessage("line 2: unknown type 'complex' of attribute 'a'");
        assertThatThrownBy(() -> new ArffReader(new StringReader("@relation r\n@data\n")))
                .hasMessageContaining("declares no @attribute");
        assertThatThrownBy(() -> new ArffReader(new StringReader("a,b\n1,2\n")))
                .hasMessageStartingWith("line 1: expected @relation");
        assertThatThrownBy(() -> new ArffReader(new StringReader("@relation r\n@attribute a {x,x}\n@data\n")))
                .hasMessageContaining("distinct values");
    }
}
