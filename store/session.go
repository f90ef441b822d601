package store

import (
	"net/netip"
	"time"
)

// Session is an MTProto session: a stream of messages under an auth key,
// identified by the client-chosen session id.
type Session struct {
	AuthKeyID int64
	// ID is session_id, chosen by the client. Never zero.
	ID int64
	// Layer is the API layer from invokeWithLayer; zero until known.
	Layer int
	// Client is what initConnection told; zero until it was called.
	Client ClientInfo
	// IP is the client address seen last; invalid (zero) if unknown.
	IP         netip.Addr
	CreatedAt  time.Time
	LastUsedAt time.Time
}

// ClientInfo is the client description sent with initConnection.
type ClientInfo struct {
	APIID          int
	DeviceModel    string
	SystemVersion  string
	AppVersion     string
	SystemLangCode string
	LangPack       string
	LangCode       string
}
