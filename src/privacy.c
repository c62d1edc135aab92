/* privacy — personal numbers in public text. */
#include "privacy.h"

#include <stdio.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

static bool S_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* GB 11643: the 18th character is a check digit (ISO 7064 MOD 11-2), and
 * characters 7–14 are a birth date. Checking both keeps ordinary long
 * numbers (order numbers, 文号 series) from being taken for IDs. */
static bool S_valid_id(const char *d)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (d[i] - '0') * w[i];
	char c = d[17] == 'x' ? 'X' : d[17];
	if (check[sum % 11] != c)
		return false;
	int year = (d[6] - '0') * 1000 + (d[7] - '0') * 100 + (d[8] - '0') * 10 + (d[9] - '0');
	int month = (d[10] - '0') * 10 + (d[11] - '0');
	int day = (d[12] - '0') * 10 + (d[13] - '0');
	return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* A mobile number: 1[3-9] and nine more digits, optionally split 3-4-4
 * by '-' or ' ' as people write them. Returns its length in bytes, 0 if
 * there is none at s. */
static size_t S_mobile_at(const char *s, size_t len, char *digits)
{
	size_t i = 0, n = 0;
	while (i < len && n < 11) {
		if (S_digit(s[i])) {
			digits[n++] = s[i++];
			continue;
		}
		if ((n == 3 || n == 7) && (s[i] == '-' || s[i] == ' ') && i + 1 < len &&
		    S_digit(s[i + 1])) {
			i++;
			continue;
		}
		break;
	}
	if (n != 11 || digits[0] != '1' || digits[1] < '3' || digits[1] > '9')
		return 0;
	if (i < len && S_digit(s[i]))
		return 0;
	digits[11] = '\0';
	return i;
}

/* The first digit at or after i, or len. Public text is mostly Hanzi:
 * 16 bytes at a time. */
static size_t S_next_digit(const char *s, size_t i, size_t len)
{
#ifdef __SSE2__
	const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
	for (; i + 16 <= len; i += 16) {
		/* c - '0' is at most 9, unsigned, for a digit only */
		__m128i d = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)), zero);
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, nine), d));
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	while (i < len && !S_digit(s[i]))
		i++;
	return i;
}

bool liang_pii_find(const char *s, size_t len, size_t *from, liang_pii *hit)
{
	for (size_t i = *from; i < len; i++) {
		if (!S_digit(s[i])) {
			i = S_next_digit(s, i, len) - 1; /* the loop steps onto it */
			continue;
		}
		if (i > 0 && S_digit(s[i - 1]))
			continue;
		/* the run of digits starting here */
		size_t run = i;
		while (run < len && S_digit(s[run]))
			run++;
		size_t rl = run - i;
		if (rl == 17 && run < len && (s[run] == 'X' || s[run] == 'x') &&
		    !(run + 1 < len && (S_digit(s[run + 1]) || s[run + 1] == 'X'))) {
			rl = 18;
		}
		if (rl == 18 && S_valid_id(s + i)) {
			hit->kind = LIANG_PII_ID;
			hit->offset = i;
			hit->len = 18;
			memcpy(hit->digits, s + i, 18);
			hit->digits[18] = '\0';
			snprintf(hit->masked, sizeof hit->masked, "%.4s**********%.4s", s + i, s + i + 14);
			*from = i + 18;
			return true;
		}
		char d[12];
		size_t ml = S_mobile_at(s + i, len - i, d);
		if (ml) {
			hit->kind = LIANG_PII_MOBILE;
			hit->offset = i;
			hit->len = ml;
			memcpy(hit->digits, d, 12);
			snprintf(hit->masked, sizeof hit->masked, "%.3s****%.4s", d, d + 7);
			*from = i + ml;
			return true;
		}
		i = run - 1;
	}
	*from = len;
	return false;
}

const char *liang_pii_name(liang_pii_kind kind)
{
	return kind == LIANG_PII_MOBILE ? "手机号码" : "身份证号码";
}
