package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// messagesConfig is the messages scenario.
type messagesConfig struct {
	pairs []int
	setup int // clients set up (key exchange and sign-up) in parallel
}

func newMessagesCmd() *cobra.Command {
	var (
		c     common
		mc    messagesConfig
		pairs string
	)
	cmd := &cobra.Command{
		Use:   "messages",
		Short: "Private messages delivered per second and send→receive latency between pairs of signed-up users",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if mc.pairs, err = parseInts(pairs); err != nil {
				return fmt.Errorf("--pairs: %w", err)
			}
			if err := c.validate(); err != nil {
				return err
			}
			if _, err := raiseFileLimit(); err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			return withServer(ctx, &c, func(s *roostServer) error {
				t, err := runMessages(ctx, &c, mc, s)
				if err != nil {
					return err
				}
				return c.output(cmd.OutOrStdout(), []*table{t})
			})
		},
	}
	c.register(cmd, 5*time.Second, "how long each pair count sends")
	cmd.Flags().StringVar(&pairs, "pairs", "1,10,100", "pairs of clients, comma-separated: one measurement each")
	cmd.Flags().IntVar(&mc.setup, "setup", 4, "clients set up (key exchange and sign-up) in parallel")
	return cmd
}

// The clients sign up with test numbers 99966 3 YYYY, whose code on a
// --dev server is 33333; phones counts the numbers used in this process,
// so that every client of every row is a new user.
const (
	testPhonePrefix = "999663"
	testPhoneCode   = "33333"
	maxTestPhones   = 10000
)

var phones atomic.Int64

// textPrefix starts every message; the send time in Unix nanoseconds
// follows it.
const textPrefix = "roostload t="

// chatter is one signed-up client.
type chatter struct {
	conn    *apiConn
	self    *tg.User
	partner *tg.InputPeerUser
	sent    int64 // by the sending goroutine of a row

	mu sync.Mutex // the connection's reader records under it
	rx receipts
}

// receipts is what one client received in one row.
type receipts struct {
	lat      []time.Duration // of the pushes in time
	received int64           // all pushes, in time or late
	late     int64           // pushes read after until
	bad      int64           // pushes whose text is not ours
	until    time.Time
}

// reset starts a row that ends at until.
func (ch *chatter) reset(until time.Time) {
	ch.sent = 0
	ch.mu.Lock()
	ch.rx = receipts{lat: ch.rx.lat[:0], until: until}
	ch.mu.Unlock()
}

// stats returns a copy of the receipts so far.
func (ch *chatter) stats() receipts {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	st := ch.rx
	st.lat = append([]time.Duration(nil), st.lat...)
	return st
}

// messagesResult is one row: a pair count.
type messagesResult struct {
	sent, delivered, late, errors int64
	elapsed                       time.Duration
	serverCPU, clientCPU          time.Duration
	lat                           []time.Duration
}

func runMessages(ctx context.Context, c *common, mc messagesConfig, s *roostServer) (*table, error) {
	t := &table{
		title: fmt.Sprintf("Private messages between pairs of users: messages.sendMessage, one in flight per client, %v per row", c.duration),
		header: []string{"pairs", "clients", "sent", "delivered", "delivered/s", "p50", "p99", "max",
			"server CPU/msg", "client CPU/msg"},
	}
	e := endpoint{name: "roost", addr: s.addr, pub: s.pub, pid: s.pid}
	for _, n := range mc.pairs {
		r, err := measureMessages(ctx, e, n, mc.setup, c.duration, c.n)
		if err != nil {
			return nil, fmt.Errorf("%d pairs: %w", n, err)
		}
		t.add(strconv.Itoa(n), strconv.Itoa(2*n), strconv.FormatInt(r.sent, 10), strconv.FormatInt(r.delivered, 10),
			fmt.Sprintf("%.0f", float64(r.delivered)/r.elapsed.Seconds()),
			fmtDur(percentile(r.lat, 0.50)), fmtDur(percentile(r.lat, 0.99)), fmtDur(percentile(r.lat, 1)),
			fmtDur(perOp(r.serverCPU, r.delivered)), fmtDur(perOp(r.clientCPU, r.delivered)))
	}
	if s.pid == 0 {
		t.note("server CPU is unknown: pass --pid of the server, or --spawn")
	}
	t.note("each client signs up a new test user (99966 3 YYYY), sets a username and resolves its partner's; " +
		"it then sends messages.sendMessage to its partner, waiting for each result, while the partner's " +
		"messages arrive on the same connection as updateShortMessage")
	t.note("delivered: pushes received before the end of the row; latency: from just before the send to the " +
		"receiver reading the push's frame (the send time travels in the text); CPU/msg: over delivered messages")
	return t, nil
}

// measureMessages signs up n pairs, lets every client send for d (or until
// limit messages in all), and gathers what the receivers saw.
func measureMessages(ctx context.Context, e endpoint, n, par int, d time.Duration, limit int64) (messagesResult, error) {
	cs, err := openPairs(ctx, e, n, par)
	if err != nil {
		return messagesResult{}, err
	}
	r, err := exchangeMessages(ctx, cs, e.pid, d, limit)
	return r, errors.Join(err, closeChatters(cs))
}

// openPairs signs up 2n clients; clients 2i and 2i+1 are partners.
func openPairs(ctx context.Context, e endpoint, n, par int) ([]*chatter, error) {
	if n <= 0 {
		return nil, fmt.Errorf("%d pairs: want at least 1", n)
	}
	if phones.Load()+int64(2*n) > maxTestPhones {
		return nil, fmt.Errorf("%d pairs: out of test numbers (%d per run)", n, maxTestPhones)
	}
	cs := make([]*chatter, 2*n)
	err := parallel(ctx, len(cs), par, func(ctx context.Context, i int) error {
		ch, err := signUp(ctx, e)
		if err != nil {
			return fmt.Errorf("client %d: %w", i, err)
		}
		cs[i] = ch
		return nil
	})
	if err == nil {
		err = parallel(ctx, len(cs), par, func(ctx context.Context, i int) error {
			return cs[i].resolve(ctx, cs[i^1].self)
		})
	}
	if err != nil {
		closeChatters(cs)
		return nil, err
	}
	return cs, nil
}

// closeChatters closes the clients' connections.
func closeChatters(cs []*chatter) error {
	var errs []error
	for _, ch := range cs {
		if ch != nil {
			errs = append(errs, ch.conn.close())
		}
	}
	return errors.Join(errs...)
}

// exchangeMessages lets every client of cs send to its partner for d (or
// until limit messages in all) and gathers what the receivers saw; pid is
// the server's, for its CPU time (0: unknown).
func exchangeMessages(ctx context.Context, cs []*chatter, pid int, d time.Duration, limit int64) (messagesResult, error) {
	var (
		r        messagesResult
		sent     atomic.Int64
		errs     atomic.Int64
		firstErr atomic.Value
		wg       sync.WaitGroup
	)
	srv, cli := startCPU(pid), startCPU(os.Getpid())
	start := time.Now()
	deadline := start.Add(d)
	for _, ch := range cs {
		ch.reset(deadline)
	}
	for _, ch := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(deadline) || (limit > 0 && sent.Add(1) > limit) {
					break
				}
				buf = ch.sendRequest(buf, t0)
				if _, err := ch.conn.invoke(ctx, buf); err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err)
					break
				}
				ch.sent++
				if limit == 0 {
					sent.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	r.serverCPU, r.clientCPU = srv.used(), cli.used()
	// The last pushes may still be on their way: give them a moment (with
	// a deadline they count as late, outside the rate).
	want := int64(0)
	for _, ch := range cs {
		want += ch.sent
	}
	for wait := time.Now().Add(2 * time.Second); time.Now().Before(wait); time.Sleep(5 * time.Millisecond) {
		got := int64(0)
		for _, ch := range cs {
			got += ch.stats().received
		}
		if got >= want {
			break
		}
	}
	for _, ch := range cs {
		st := ch.stats()
		r.sent += ch.sent
		r.delivered += int64(len(st.lat))
		r.late += st.late
		r.lat = append(r.lat, st.lat...)
		if st.bad > 0 {
			errs.Add(1)
			firstErr.CompareAndSwap(nil, fmt.Errorf("%d pushed messages with a text roostload did not send", st.bad))
		}
	}
	r.errors = errs.Load()
	if r.errors > 0 {
		err, _ := firstErr.Load().(error)
		return r, fmt.Errorf("%d clients failed, the first: %w", r.errors, err)
	}
	return r, ctx.Err()
}

// signUp connects a new client and signs up a new user on a test number.
func signUp(ctx context.Context, e endpoint) (*chatter, error) {
	fc, err := dialFrame(ctx, e.addr)
	if err != nil {
		return nil, err
	}
	fc.setDeadline(time.Now().Add(handshakeTimeout))
	res, err := exchangeKey(fc, e.pub, 2)
	if err != nil {
		fc.Close()
		return nil, err
	}
	fc.setDeadline(time.Time{})
	ch := &chatter{}
	ch.conn = newAPIConn(newSession(fc, res.Key, res.Salt), ch.received)
	if err := ch.signUp(ctx); err != nil {
		ch.conn.close()
		return nil, err
	}
	return ch, nil
}

func (ch *chatter) signUp(ctx context.Context) error {
	phone := fmt.Sprintf("%s%04d", testPhonePrefix, phones.Add(1)-1)
	o, err := ch.conn.call(ctx, &tg.AuthSendCodeRequest{PhoneNumber: phone, APIID: 1, APIHash: "roostload"})
	if err != nil {
		return fmt.Errorf("auth.sendCode: %w", err)
	}
	sc, ok := o.(*tg.AuthSentCode)
	if !ok {
		return fmt.Errorf("auth.sendCode: answer %T", o)
	}
	o, err = ch.conn.call(ctx, &tg.AuthSignInRequest{PhoneNumber: phone, PhoneCodeHash: sc.PhoneCodeHash, PhoneCode: testPhoneCode})
	if err != nil {
		return fmt.Errorf("auth.signIn: %w", err)
	}
	if _, ok := o.(*tg.AuthAuthorizationSignUpRequired); !ok {
		return fmt.Errorf("auth.signIn %s: answer %T, want auth.authorizationSignUpRequired (a new number)", phone, o)
	}
	o, err = ch.conn.call(ctx, &tg.AuthSignUpRequest{PhoneNumber: phone, PhoneCodeHash: sc.PhoneCodeHash, FirstName: "Load " + phone[6:]})
	if err != nil {
		return fmt.Errorf("auth.signUp: %w", err)
	}
	a, ok := o.(*tg.AuthAuthorization)
	if !ok {
		return fmt.Errorf("auth.signUp: answer %T", o)
	}
	if ch.self, ok = a.User.(*tg.User); !ok {
		return fmt.Errorf("auth.signUp: user %T", a.User)
	}
	if _, err := ch.conn.call(ctx, &tg.AccountUpdateUsernameRequest{Username: username(ch.self.ID)}); err != nil {
		return fmt.Errorf("account.updateUsername: %w", err)
	}
	return nil
}

// username is the username roostload gives user id.
func username(id int64) string { return fmt.Sprintf("roostload%d", id) }

// resolve learns the partner's access hash as a client does: by username.
func (ch *chatter) resolve(ctx context.Context, partner *tg.User) error {
	o, err := ch.conn.call(ctx, &tg.ContactsResolveUsernameRequest{Username: username(partner.ID)})
	if err != nil {
		return fmt.Errorf("contacts.resolveUsername: %w", err)
	}
	rp, ok := o.(*tg.ContactsResolvedPeer)
	if !ok {
		return fmt.Errorf("contacts.resolveUsername: answer %T", o)
	}
	for _, u := range rp.Users {
		if u, ok := u.(*tg.User); ok && u.ID == partner.ID {
			ch.partner = &tg.InputPeerUser{UserID: u.ID, AccessHash: u.AccessHash}
			return nil
		}
	}
	return fmt.Errorf("contacts.resolveUsername %s: user %d not in the answer", username(partner.ID), partner.ID)
}

// sendRequest encodes messages.sendMessage to the partner with the send
// time in the text, reusing buf.
func (ch *chatter) sendRequest(buf []byte, at time.Time) []byte {
	var rnd [8]byte
	randRead(rnd[:])
	req := &tg.MessagesSendMessageRequest{Peer: ch.partner, RandomID: int64(binary.LittleEndian.Uint64(rnd[:])),
		Message: textPrefix + strconv.FormatInt(at.UnixNano(), 10)}
	e := tl.NewEncoder(buf)
	e.Object(req)
	return e.Bytes()
}

// received counts one pushed message; it runs on the connection's reader.
func (ch *chatter) received(u *tg.UpdateShortMessage, at time.Time) {
	rest, ok := strings.CutPrefix(u.Message, textPrefix)
	ns, err := strconv.ParseInt(rest, 10, 64)
	ch.mu.Lock()
	defer ch.mu.Unlock()
	ch.rx.received++
	switch {
	case !ok || err != nil || u.Out:
		ch.rx.bad++
	case at.After(ch.rx.until):
		ch.rx.late++
	default:
		ch.rx.lat = append(ch.rx.lat, at.Sub(time.Unix(0, ns)))
	}
}
