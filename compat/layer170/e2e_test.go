package layer170

import (
	"bufio"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/telegram/dcs"
	gtg "github.com/gotd/td/tg"
	"github.com/gotd/td/transport"
)

// rsaKey reads the server key roost serve generated (PKCS#8 or PKCS#1).
// The standard library does, so this module imports no Roost package
// whose tests need a newer gotd/td.
func rsaKey(t *testing.T, pemText []byte) *rsa.PrivateKey {
	t.Helper()
	b, _ := pem.Decode(pemText)
	if b == nil {
		t.Fatal("rsa-key.pem: no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return k
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*rsa.PrivateKey)
}

// roostServer builds and starts a real roost serve --dev on loopback.
func roostServer(t *testing.T) (mtprotoAddr string, data string) {
	t.Helper()
	s := startRoost(t)
	return s.mtproto, s.data
}

// roost is a running roost serve: its binary, addresses and data folder.
type roost struct {
	bin, mtproto, http, data string
}

// startRoost builds and starts a real roost serve --dev on loopback.
func startRoost(t *testing.T) roost {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "roost")
	// Built in the main module: its own go.mod pins the server's
	// dependencies, while this module pins gotd/td to v0.93.0.
	build := exec.Command("go", "build", "-o", bin, "./cmd/roost")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build roost: %v\n%s", err, out)
	}
	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	data := t.TempDir()
	// A port free() found free may be taken by another test process
	// before the server binds it; then the server exits and another pair
	// is tried.
	for range 3 {
		r := roost{bin: bin, mtproto: free(), http: free(), data: data}
		if launchRoost(t, r) {
			return r
		}
	}
	t.Fatal("roost serve did not start on three pairs of ports")
	return roost{}
}

// launchRoost runs r and waits for /healthz; false if the server exited
// first (its last lines are logged).
func launchRoost(t *testing.T, r roost) bool {
	t.Helper()
	cmd := exec.Command(r.bin, "serve", "--dev", "--data", r.data, "--mtproto", r.mtproto, "--http", r.http)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var (
		logMu sync.Mutex
		logs  []string // the server's last lines, for a failed start
	)
	exited := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logMu.Lock()
			logs = append(logs, sc.Text())
			if len(logs) > 20 {
				logs = logs[1:]
			}
			logMu.Unlock()
		}
		exited <- cmd.Wait() // after the pipe is read to its end
	}()
	lastLines := func() string {
		logMu.Lock()
		defer logMu.Unlock()
		return strings.Join(logs, "\n")
	}
	// Generous: the first start generates an RSA key, and CI runs other
	// packages' tests beside this one.
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-exited:
			t.Logf("roost serve exited at start: %v; its last lines:\n%s", err, lastLines())
			return false
		default:
		}
		if resp, err := http.Get("http://" + r.http + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				t.Cleanup(func() {
					cmd.Process.Signal(syscall.SIGTERM)
					<-exited
				})
				return true
			}
		}
	}
	cmd.Process.Kill()
	<-exited
	t.Fatalf("roost serve did not become healthy; its last lines:\n%s", lastLines())
	return false
}

// oldClient is a gotd/td v0.93.0 client: it speaks layer 170.
func oldClient(t *testing.T, addr, data string) *telegram.Client {
	t.Helper()
	pemText, err := os.ReadFile(filepath.Join(data, "rsa-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	key := rsaKey(t, pemText)
	host, portText, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portText)
	return telegram.NewClient(1, "roost", telegram.Options{
		PublicKeys:     []telegram.PublicKey{{RSA: &key.PublicKey}},
		DC:             2,
		DCList:         dcs.List{Options: []gtg.DCOption{{ID: 2, IPAddress: host, Port: port}}},
		Resolver:       dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate}),
		SessionStorage: &session.StorageMemory{},
		NoUpdates:      true,
	})
}

// A layer-170 client creates its key, reads the config, signs up and
// signs in against a real roost serve, through the layer-170 adapter.
func TestOldClientEndToEnd(t *testing.T) {
	if gtg.Layer != 170 {
		t.Fatalf("gotd/td speaks layer %d, want 170 (v0.93.0)", gtg.Layer)
	}
	addr, data := roostServer(t)
	const phone = "9996627001"
	var id int64
	for round := 0; round < 2; round++ {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		c := oldClient(t, addr, data)
		err := c.Run(ctx, func(ctx context.Context) error {
			cfg, err := c.API().HelpGetConfig(ctx)
			if err != nil {
				return err
			}
			host, portText, _ := net.SplitHostPort(addr)
			if cfg.ThisDC != 2 || len(cfg.DCOptions) != 1 || cfg.DCOptions[0].IPAddress != host ||
				strconv.Itoa(cfg.DCOptions[0].Port) != portText {
				return fmt.Errorf("config: this_dc=%d dc_options=%+v", cfg.ThisDC, cfg.DCOptions)
			}
			// Round 0 signs up, round 1 signs in to the same account.
			if err := auth.NewFlow(auth.TestUser(phone, 2), auth.SendCodeOptions{}).Run(ctx, c.Auth()); err != nil {
				return err
			}
			me, err := c.Self(ctx)
			if err != nil {
				return err
			}
			if me.FirstName != "Test" || !me.Self {
				return fmt.Errorf("self: %+v", me)
			}
			if round == 0 {
				id = me.ID
			} else if me.ID != id {
				return fmt.Errorf("sign-in reached user %d, want %d", me.ID, id)
			}
			return nil
		})
		cancel()
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

// Two layer-170 clients exchange messages: what one sends, the other reads
// in its history, through the adapter both ways.
func TestOldClientsChat(t *testing.T) {
	addr, data := roostServer(t)
	run := func(phone string, f func(ctx context.Context, c *telegram.Client) error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		c := oldClient(t, addr, data)
		if err := c.Run(ctx, func(ctx context.Context) error {
			if err := auth.NewFlow(auth.TestUser(phone, 2), auth.SendCodeOptions{}).Run(ctx, c.Auth()); err != nil {
				return err
			}
			return f(ctx, c)
		}); err != nil {
			t.Fatal(err)
		}
	}
	run("9996627011", func(ctx context.Context, c *telegram.Client) error {
		_, err := c.API().AccountUpdateUsername(ctx, "old_bob")
		return err
	})
	run("9996627012", func(ctx context.Context, c *telegram.Client) error {
		res, err := c.API().ContactsResolveUsername(ctx, "old_bob")
		if err != nil {
			return err
		}
		bob := res.Users[0].(*gtg.User)
		peer := &gtg.InputPeerUser{UserID: bob.ID, AccessHash: bob.AccessHash}
		// A reply: layer 170 still sends reply_to as inputReplyToMessage.
		sent, err := c.API().MessagesSendMessage(ctx, &gtg.MessagesSendMessageRequest{Peer: peer, Message: "hi from layer 170", RandomID: 1})
		if err != nil {
			return err
		}
		id := sent.(*gtg.UpdateShortSentMessage).ID
		_, err = c.API().MessagesSendMessage(ctx, &gtg.MessagesSendMessageRequest{Peer: peer, Message: "a reply",
			RandomID: 2, ReplyTo: &gtg.InputReplyToMessage{ReplyToMsgID: id}})
		return err
	})
	run("9996627011", func(ctx context.Context, c *telegram.Client) error {
		d, err := c.API().MessagesGetDialogs(ctx, &gtg.MessagesGetDialogsRequest{OffsetPeer: &gtg.InputPeerEmpty{}, Limit: 10})
		if err != nil {
			return err
		}
		dialogs := d.(*gtg.MessagesDialogs)
		// Bob's second login brought a code from 777000: skip that dialog.
		var alice *gtg.User
		for _, dc := range dialogs.Dialogs {
			dl := dc.(*gtg.Dialog)
			peer := dl.Peer.(*gtg.PeerUser).UserID
			if peer == 777000 {
				continue
			}
			if dl.UnreadCount != 2 {
				return fmt.Errorf("dialog with alice: %+v", dl)
			}
			for _, u := range dialogs.Users {
				if u.(*gtg.User).ID == peer {
					alice = u.(*gtg.User)
				}
			}
		}
		if alice == nil {
			return fmt.Errorf("no dialog with alice: %+v", dialogs.Dialogs)
		}
		h, err := c.API().MessagesGetHistory(ctx, &gtg.MessagesGetHistoryRequest{
			Peer: &gtg.InputPeerUser{UserID: alice.ID, AccessHash: alice.AccessHash}, Limit: 10})
		if err != nil {
			return err
		}
		ms := h.(*gtg.MessagesMessages).Messages
		if len(ms) != 2 || ms[1].(*gtg.Message).Message != "hi from layer 170" {
			return fmt.Errorf("history: %+v", ms)
		}
		reply := ms[0].(*gtg.Message)
		if hdr, ok := reply.ReplyTo.(*gtg.MessageReplyHeader); !ok || hdr.ReplyToMsgID != ms[1].(*gtg.Message).ID {
			return fmt.Errorf("the reply does not point at bob's copy: %+v", reply.ReplyTo)
		}
		return nil
	})
}
