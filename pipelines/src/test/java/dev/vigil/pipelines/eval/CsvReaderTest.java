package dev.vigil.pipelines.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static List<String> readAll(CsvReader reader) throws IOException {
        List<String> out = new ArrayList<>();
        String[] r;
        while ((r = reader.next()) != null) {
            out.add(reader.line() + ":" + Arrays.toString(r));
        }
        return out;
    }

    @Test
    void readsHeaderQuotesMissingValuesAndLineNumbers() throws IOException {
        String csv = "a, b ,c\n"
                + "1,x,2.5\n"
                + "\n"
                + "?, \"quoted, with comma\" ,\n"
                + "3,\"two\nlines\",4\n"
                + "5,y,6";
        CsvReader reader = new CsvReader(new StringReader(csv));
        assertThat(reader.columns()).extracting(Column::name).containsExactly("a", "b", "c");
        assertThat(reader.columns()).allSatisfy(c -> assertThat(c.kind()).isEqualTo(Column.Kind.UNTYPED));
        assertThat(readAll(reader)).containsExactly(
                "2:[1, x, 2.5]",
                "4:[null, quoted, with comma, null]",
                "5:[3, two\nlines, 4]",
                "7:[5, y, 6]");
    }

    @Test
    void tabsAndCustomMissingValues() throws IOException {
        CsvReader reader = new CsvReader(new StringReader("a\tb\nNA\t1\n"), '\t', Set.of("", "NA"));
        assertThat(readAll(reader)).containsExactly("2:[null, 1]");
    }

    @Test
    void aRowWithTheWrongNumberOfValuesIsRefusedWithItsLine() throws IOException {
        CsvReader reader = new CsvReader(new StringReader("a,b,c\n1,2,3\n\n4,5\n"));
        reader.next();
        assertThatThrownBy(reader::next)
                .isInstanceOf(InputFormatException.class)
                .hasMessage("line 4: expected 3 values (the header's columns), got 2")
                .extracting(e -> ((InputFormatException) e).line()).isEqualTo(4L);
    }

    @Test
    void malformedQuotingAndBadHeadersAreRefused() throws IOException {
        CsvReader reader = new CsvReader(new StringReader("a,b\n1,2\n\"open,3\n"));
        reader.next();
        assertThatThrownBy(reader::next).isInstanceOf(InputFormatException.class).hasMessageStartingWith("line 3:");
        assertThatThrownBy(() -> new CsvReader(new StringReader("a,a\n1,2\n")))
                .isInstanceOf(InputFormatException.class)
                .hasMessageContaining("header");
    }
}
