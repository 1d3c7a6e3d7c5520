package capture

import (
	"errors"
	"io"
)

func isEnd(err error) bool { return errors.Is(err, io.EOF) || errors.Is(err, ErrClosed) }
