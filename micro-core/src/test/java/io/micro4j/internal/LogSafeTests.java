package io.micro4j.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogSafeTests {

	@Test
	void whenTextIsPlainAndShortThenItIsReturnedAsItIs() {
		String text = "Greeter.Hello from 127.0.0.1:5000, C:\\path";
		assertThat(LogSafe.text(text)).isSameAs(text);
	}

	@Test
	void whenTextHasLineBreaksThenTheyAreEscapedAndNoLineIsForged() {
		assertThat(LogSafe.text("John\r\n12:00:00.000 INFO  forged line")).isEqualTo(
				"John\\r\\n12:00:00.000 INFO  forged line");
		assertThat(LogSafe.text("a\tb\u0000c\u001b[31md\u007fe\u0085f\u2028g\u202eh"))
			.isEqualTo("a\\tb\\u0000c\\u001b[31md\\u007fe\\u0085f\\u2028g\\u202eh");
	}

	@Test
	void whenTextIsLongThenItIsCutAndSaysHowMuchIsLeftOut() {
		String text = "x".repeat(3 * 1024 * 1024);
		String safe = LogSafe.text(text);
		assertThat(safe).isEqualTo("x".repeat(200) + "…(" + (3 * 1024 * 1024 - 200) + " more)");
		assertThat(LogSafe.text("abcdef", 3)).isEqualTo("abc…(3 more)");
		assertThat(LogSafe.text("ab\ncd", 3)).isEqualTo("ab\\n…(2 more)");
	}

	@Test
	void whenTheCutFallsInsideASurrogatePairThenThePairIsLeftOutWhole() {
		assertThat(LogSafe.text("ab\uD83D\uDE00cd", 3)).isEqualTo("ab…(4 more)");
	}

	@Test
	void whenValueIsNullOrNotAStringThenItsTextIsUsed() {
		assertThat(LogSafe.text(null)).isEqualTo("null");
		assertThat(LogSafe.text(42)).isEqualTo("42");
	}

	@Test
	void whenMaxLengthIsNotPositiveThenItIsRejected() {
		assertThatThrownBy(() -> LogSafe.text("x", 0)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("maxLength: 0 (expected: > 0)");
	}

}
