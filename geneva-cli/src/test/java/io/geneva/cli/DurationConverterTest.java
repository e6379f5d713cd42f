package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @ParameterizedTest
  @CsvSource({"30s, PT30S", "10m, PT10M", "12h, PT12H", "7d, PT168H", "0s, PT0S", "PT1H, PT1H", "pt90m, PT1H30M",
      "P2D, PT48H"})
  void convert_acceptsUnitSuffixesAndIso8601(String text, String expected) {
    assertThat(converter.convert(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"7x", "", "d", "-5m", "PT-1H", "1.5h", "7 d", "12"})
  void convert_refusesOtherTextWithAMessageNamingItAndTheAcceptedForms(String text) {
    assertThatThrownBy(() -> converter.convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("invalid duration \"" + text
            + "\": use a number with s, m, h or d, like 7d, or ISO-8601 like PT12H");
  }

  @ParameterizedTest
  @CsvSource({"PT1H, 1 h", "PT1H30M, 1 h 30 min", "PT168H, 7 d", "PT45S, 45 s", "PT0.25S, 250 ms", "PT0S, 0 s",
      "P1DT2H3M4.005S, 1 d 2 h 3 min 4 s 5 ms"})
  void format_saysADurationInWords_neverInIso8601(String iso, String expected) {
    assertThat(DurationConverter.format(Duration.parse(iso))).isEqualTo(expected);
  }
}
