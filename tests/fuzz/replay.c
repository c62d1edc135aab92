/* replay — run a fuzz harness over files without libFuzzer: the inputs
 * that once crashed (tests/fuzz/regress/) and the seed corpora are
 * replayed by make test, under the sanitizers with SAN=1. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		size_t len;
		char *data = liang_file_read(argv[i], &len);
		if (!data) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			rc = 1;
			continue;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		free(data);
	}
	return rc;
}
