package main

import (
	"context"
	"fmt"

	"github.com/roostchat/roost/botfather"
	"github.com/roostchat/roost/core"
)

// botFatherService runs @BotFather in the process: it answers the users
// who write to it from its Bot API queue.
type botFatherService struct {
	bf      *botfather.BotFather
	stop    context.CancelFunc
	stopped chan struct{}
}

// newBotFatherService creates BotFather's account if the store lacks it.
// The caller adds the service to core's bot wakers.
func newBotFatherService(env *Env, c *core.Core) (*botFatherService, error) {
	if err := botfather.Ensure(context.Background(), c); err != nil {
		return nil, fmt.Errorf("botfather: %w", err)
	}
	return &botFatherService{bf: botfather.New(c, env.Log.With("service", "botfather"))}, nil
}

func (s *botFatherService) Name() string { return "botfather" }

// Start handles what queued up while Roost was down, then goes on in the
// background as core wakes it.
func (s *botFatherService) Start(ctx context.Context) error {
	ctx, s.stop = context.WithCancel(ctx)
	s.stopped = make(chan struct{})
	go func() {
		defer close(s.stopped)
		s.bf.Run(ctx)
	}()
	return nil
}

func (s *botFatherService) Shutdown(ctx context.Context) error {
	if s.stop == nil {
		return nil
	}
	s.stop()
	select {
	case <-s.stopped:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
