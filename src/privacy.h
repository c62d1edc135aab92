/* privacy — the guard against personal numbers in public text.
 *
 * Beyond the private columns, public output must not carry a mainland
 * mobile number (11 digits, 1[3-9]…) or an 18-character resident ID
 * number, unless the number is the value of a public field such as a
 * 监督电话. This module finds such numbers in a piece of text. */
#ifndef LIANG_PRIVACY_H
#define LIANG_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { LIANG_PII_MOBILE, LIANG_PII_ID } liang_pii_kind;

typedef struct liang_pii {
	liang_pii_kind kind;
	size_t offset, len;  /* bytes within the text */
	char digits[19];     /* the number without separators */
	char masked[32];     /* 138****5678 / 4301**********123X, safe to print */
} liang_pii;

/* Find the first personal number in s[0..len) at or after *from; on a
 * hit fills *hit, moves *from past it and returns true. */
bool liang_pii_find(const char *s, size_t len, size_t *from, liang_pii *hit);
/* "手机号码" or "身份证号码". */
const char *liang_pii_name(liang_pii_kind kind);

#endif
