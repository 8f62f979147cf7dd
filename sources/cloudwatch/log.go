package cloudwatch

import (
	"context"
	"log/slog"
	"time"

	awsmw "github.com/aws/aws-sdk-go-v2/aws/middleware"
	smithymw "github.com/aws/smithy-go/middleware"
)

// logRequests logs every attempt of every AWS call at debug level, after
// the SDK's retry step so that each retry is a line of its own: the
// service, the operation, how long it took and the error. Never a body.
func logRequests(log *slog.Logger, source string) func(*smithymw.Stack) error {
	return func(st *smithymw.Stack) error {
		return st.Finalize.Add(smithymw.FinalizeMiddlewareFunc("stormwatchLog",
			func(ctx context.Context, in smithymw.FinalizeInput, next smithymw.FinalizeHandler) (smithymw.FinalizeOutput, smithymw.Metadata, error) {
				start := time.Now()
				out, md, err := next.HandleFinalize(ctx, in)
				if log.Enabled(ctx, slog.LevelDebug) {
					attrs := []slog.Attr{slog.String("source", source), slog.String("service", awsmw.GetServiceID(ctx)),
						slog.String("op", awsmw.GetOperationName(ctx)), slog.Duration("took", time.Since(start).Round(time.Microsecond))}
					if err != nil {
						attrs = append(attrs, slog.Any("error", err))
					}
					log.LogAttrs(ctx, slog.LevelDebug, "aws request", attrs...)
				}
				return out, md, err
			}), smithymw.After)
	}
}
