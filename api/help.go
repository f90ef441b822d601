package api

import (
	"context"
	"time"

	"github.com/roostchat/roost/tg"
)

type help struct{ cfg Config }

// configLifetime is how long a client may cache help.getConfig.
const configLifetime = time.Hour

// getConfig answers help.getConfig: this server as the only DC (the
// address clients reconnect to) and the limits of the official server.
func (h *help) getConfig(ctx context.Context, _ *tg.HelpGetConfigRequest) (*tg.Config, error) {
	now := time.Now()
	return &tg.Config{
		Date:    int32(now.Unix()),
		Expires: int32(now.Add(configLifetime).Unix()),
		ThisDC:  int32(h.cfg.DC),
		DCOptions: []tg.DcOption{
			{ID: int32(h.cfg.DC), IPAddress: h.cfg.Host, Port: int32(h.cfg.Port)},
		},
		DCTxtDomainName:         "",
		ChatSizeMax:             200,
		MegagroupSizeMax:        200000,
		ForwardedCountMax:       100,
		OnlineUpdatePeriodMs:    210000,
		OfflineBlurTimeoutMs:    5000,
		OfflineIdleTimeoutMs:    30000,
		OnlineCloudTimeoutMs:    300000,
		NotifyCloudDelayMs:      30000,
		NotifyDefaultDelayMs:    1500,
		PushChatPeriodMs:        60000,
		PushChatLimit:           2,
		EditTimeLimit:           172800,
		RevokeTimeLimit:         2147483647,
		RevokePmTimeLimit:       2147483647,
		RatingEDecay:            2419200,
		StickersRecentLimit:     200,
		ChannelsReadMediaPeriod: 604800,
		CallReceiveTimeoutMs:    20000,
		CallRingTimeoutMs:       90000,
		CallConnectTimeoutMs:    30000,
		CallPacketTimeoutMs:     10000,
		MeURLPrefix:             "https://t.me/",
		CaptionLengthMax:        1024,
		MessageLengthMax:        4096,
		WebfileDCID:             int32(h.cfg.DC),
	}, nil
}

// getNearestDC answers help.getNearestDc: there is one DC.
func (h *help) getNearestDC(ctx context.Context, _ *tg.HelpGetNearestDcRequest) (*tg.NearestDc, error) {
	return &tg.NearestDc{Country: "", ThisDC: int32(h.cfg.DC), NearestDC: int32(h.cfg.DC)}, nil
}
