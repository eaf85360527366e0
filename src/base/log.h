/* log.h — one line per event on stderr: "2026-11-28T21:54:11.123Z level message".
 * Thread-safe (one fprintf per line). */
#ifndef CEJ_LOG_H
#define CEJ_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Silences log_info (tests, benchmarks). */
void log_set_quiet(int quiet);

#endif
