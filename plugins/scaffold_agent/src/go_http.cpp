// go-http: standard library only (net/http, encoding/json, database/sql),
// so `go build` and `go test` work offline with no module download. Go
// 1.19 is the floor (Debian 12's golang-go): routing is by hand, not the
// method patterns of Go 1.22's ServeMux. A database is reached through
// database/sql; its driver is the one import left to the user (a build tag
// file), since adding a third-party module needs the network.
#include "project_files.hpp"

namespace scaffold {
namespace {

constexpr const char* go_mod = R"~(module {{name}}

go 1.19
)~";

constexpr const char* main_go = R"~(// Command {{name}} serves GET /health and the /{{resource_plural}} resource.
// PORT picks the port (default 8080){{#database}}; DATABASE_URL the {{database_name}} database{{/database}}.
// With -healthcheck it asks a running server's /health and exits 0 or 1
// (the Docker HEALTHCHECK: the runtime image has no shell or curl).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	healthcheck := flag.Bool("healthcheck", false, "probe the running server's /health and exit")
	flag.Parse()
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if *healthcheck {
		os.Exit(probe("http://127.0.0.1:" + port + "/health"))
	}

	store, err := openStore(os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatalf("store: %v", err)
	}
	server := &http.Server{
		Addr:              ":" + port,
		Handler:           NewRouter(store),
		ReadHeaderTimeout: 5 * time.Second,
	}
	stop, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	go func() {
		<-stop.Done()
		shutdown, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		_ = server.Shutdown(shutdown)
	}()
	log.Printf("{{name}} listening on :%s", port)
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

func probe(url string) int {
	client := http.Client{Timeout: 2 * time.Second}
	response, err := client.Get(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}
)~";

constexpr const char* handlers_go = R"~(package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// {{Resource}} is the example resource.
type {{Resource}} struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type {{resourceCamel}}Input struct {
	Name        *string `json:"name"`
	Description string  `json:"description"`
}

// NewRouter answers /health, /{{resource_plural}} and /{{resource_plural}}/{id}.
func NewRouter(store Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("/{{resource_plural}}", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			all, err := store.List()
			if err != nil {
				writeError(w, http.StatusInternalServerError, err.Error())
				return
			}
			writeJSON(w, http.StatusOK, all)
		case http.MethodPost:
			var input {{resourceCamel}}Input
			decoder := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
			if err := decoder.Decode(&input); err != nil {
				writeError(w, http.StatusBadRequest, "invalid JSON: "+err.Error())
				return
			}
			if input.Name == nil || strings.TrimSpace(*input.Name) == "" {
				writeError(w, http.StatusUnprocessableEntity, "name is required")
				return
			}
			created, err := store.Create(*input.Name, input.Description)
			if err != nil {
				writeError(w, http.StatusInternalServerError, err.Error())
				return
			}
			writeJSON(w, http.StatusCreated, created)
		default:
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
		}
	})
	mux.HandleFunc("/{{resource_plural}}/", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/{{resource_plural}}/"), 10, 64)
		if err != nil {
			writeError(w, http.StatusNotFound, "{{resource}} not found")
			return
		}
		switch r.Method {
		case http.MethodGet:
			found, ok, err := store.Get(id)
			if err != nil {
				writeError(w, http.StatusInternalServerError, err.Error())
			} else if !ok {
				writeError(w, http.StatusNotFound, "{{resource}} not found")
			} else {
				writeJSON(w, http.StatusOK, found)
			}
		case http.MethodDelete:
			ok, err := store.Delete(id)
			if err != nil {
				writeError(w, http.StatusInternalServerError, err.Error())
			} else if !ok {
				writeError(w, http.StatusNotFound, "{{resource}} not found")
			} else {
				w.WriteHeader(http.StatusNoContent)
			}
		default:
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
		}
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, body interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}
)~";

constexpr const char* store_go = R"~(package main

import (
	"sort"
	"sync"
)

// Store keeps {{resource_plural}}.
type Store interface {
	List() ([]{{Resource}}, error)
	Create(name, description string) ({{Resource}}, error)
	Get(id int64) ({{Resource}}, bool, error)
	Delete(id int64) (bool, error)
}

// MemoryStore is the store of tests and of a server without DATABASE_URL.
type MemoryStore struct {
	mu     sync.Mutex
	nextID int64
	rows   map[int64]{{Resource}}
}

func NewMemoryStore() *MemoryStore {
	return &MemoryStore{nextID: 1, rows: map[int64]{{Resource}}{}}
}

func (s *MemoryStore) List() ([]{{Resource}}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]{{Resource}}, 0, len(s.rows))
	for _, row := range s.rows {
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *MemoryStore) Create(name, description string) ({{Resource}}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	row := {{Resource}}{ID: s.nextID, Name: name, Description: description}
	s.rows[row.ID] = row
	s.nextID++
	return row, nil
}

func (s *MemoryStore) Get(id int64) ({{Resource}}, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	row, ok := s.rows[id]
	return row, ok, nil
}

func (s *MemoryStore) Delete(id int64) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.rows[id]
	delete(s.rows, id)
	return ok, nil
}
)~";

constexpr const char* open_store_go = R"~(package main
{{^database}}
// openStore: this project keeps {{resource_plural}} in memory.
func openStore(url string) (Store, error) {
	return NewMemoryStore(), nil
}
{{/database}}{{#database}}
import (
	"database/sql"
	"fmt"
)

// driverName is the database/sql driver the {{database_name}} store uses; a
// file with the build tag "{{database_name}}" imports it (see README.md).
const driverName = "{{#postgres}}pgx{{/postgres}}{{#sqlite}}sqlite{{/sqlite}}"

// openStore: memory without DATABASE_URL, else {{database_name}} through
// database/sql.
func openStore(url string) (Store, error) {
	if url == "" {
		return NewMemoryStore(), nil
	}
	registered := false
	for _, name := range sql.Drivers() {
		registered = registered || name == driverName
	}
	if !registered {
		return nil, fmt.Errorf("DATABASE_URL is set but the %s driver is not built in: go build -tags {{database_name}}", driverName)
	}
	db, err := sql.Open(driverName, url)
	if err != nil {
		return nil, err
	}
	if _, err := db.Exec(schema); err != nil {
		return nil, err
	}
	return &SQLStore{db: db}, nil
}

const schema = `CREATE TABLE IF NOT EXISTS {{resource_plural}} (
{{#postgres}}	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,{{/postgres}}{{#sqlite}}	id INTEGER PRIMARY KEY AUTOINCREMENT,{{/sqlite}}
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT ''
)`

// SQLStore keeps {{resource_plural}} in the database.
type SQLStore struct{ db *sql.DB }

func placeholder(n int) string {
	if driverName == "pgx" {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

func (s *SQLStore) List() ([]{{Resource}}, error) {
	rows, err := s.db.Query("SELECT id, name, description FROM {{resource_plural}} ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []{{Resource}}{}
	for rows.Next() {
		var row {{Resource}}
		if err := rows.Scan(&row.ID, &row.Name, &row.Description); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

func (s *SQLStore) Create(name, description string) ({{Resource}}, error) {
	row := {{Resource}}{Name: name, Description: description}
	query := "INSERT INTO {{resource_plural}} (name, description) VALUES (" + placeholder(1) + ", " + placeholder(2) + ") RETURNING id"
	err := s.db.QueryRow(query, name, description).Scan(&row.ID)
	return row, err
}

func (s *SQLStore) Get(id int64) ({{Resource}}, bool, error) {
	var row {{Resource}}
	err := s.db.QueryRow("SELECT id, name, description FROM {{resource_plural}} WHERE id = "+placeholder(1), id).
		Scan(&row.ID, &row.Name, &row.Description)
	if err == sql.ErrNoRows {
		return row, false, nil
	}
	return row, err == nil, err
}

func (s *SQLStore) Delete(id int64) (bool, error) {
	result, err := s.db.Exec("DELETE FROM {{resource_plural}} WHERE id = "+placeholder(1), id)
	if err != nil {
		return false, err
	}
	n, err := result.RowsAffected()
	return n > 0, err
}
{{/database}})~";

constexpr const char* driver_go = R"~(//go:build {{database_name}}

package main

// Built with -tags {{database_name}} after
// `go get {{#postgres}}github.com/jackc/pgx/v5{{/postgres}}{{#sqlite}}modernc.org/sqlite{{/sqlite}}`: registers the "{{#postgres}}pgx{{/postgres}}{{#sqlite}}sqlite{{/sqlite}}" driver.
import _ "{{#postgres}}github.com/jackc/pgx/v5/stdlib{{/postgres}}{{#sqlite}}modernc.org/sqlite{{/sqlite}}"
)~";

constexpr const char* handlers_test_go = R"~(package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func call(t *testing.T, handler http.Handler, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	request := httptest.NewRequest(method, path, strings.NewReader(body))
	recorder := httptest.NewRecorder()
	handler.ServeHTTP(recorder, request)
	return recorder
}

func TestHealth(t *testing.T) {
	got := call(t, NewRouter(NewMemoryStore()), http.MethodGet, "/health", "")
	if got.Code != http.StatusOK || !strings.Contains(got.Body.String(), `"ok"`) {
		t.Fatalf("GET /health = %d %s", got.Code, got.Body.String())
	}
}

func TestCreateGetListDelete(t *testing.T) {
	router := NewRouter(NewMemoryStore())
	created := call(t, router, http.MethodPost, "/{{resource_plural}}", `{"name":"first","description":"made by the test"}`)
	if created.Code != http.StatusCreated {
		t.Fatalf("POST = %d %s", created.Code, created.Body.String())
	}
	var row {{Resource}}
	if err := json.Unmarshal(created.Body.Bytes(), &row); err != nil || row.Name != "first" || row.ID == 0 {
		t.Fatalf("created %+v (%v)", row, err)
	}
	path := fmt.Sprintf("/{{resource_plural}}/%d", row.ID)
	if got := call(t, router, http.MethodGet, path, ""); got.Code != http.StatusOK {
		t.Fatalf("GET %s = %d", path, got.Code)
	}
	if got := call(t, router, http.MethodGet, "/{{resource_plural}}", ""); !strings.Contains(got.Body.String(), `"first"`) {
		t.Fatalf("list = %s", got.Body.String())
	}
	if got := call(t, router, http.MethodDelete, path, ""); got.Code != http.StatusNoContent {
		t.Fatalf("DELETE = %d", got.Code)
	}
	if got := call(t, router, http.MethodGet, path, ""); got.Code != http.StatusNotFound {
		t.Fatalf("GET after DELETE = %d", got.Code)
	}
}

func TestBadInput(t *testing.T) {
	router := NewRouter(NewMemoryStore())
	cases := []struct {
		body string
		want int
	}{
		{`{"description":"no name"}`, http.StatusUnprocessableEntity},
		{`{"name":"  "}`, http.StatusUnprocessableEntity},
		{`{"name":`, http.StatusBadRequest},
		{`{"name":7}`, http.StatusBadRequest},
	}
	for _, c := range cases {
		if got := call(t, router, http.MethodPost, "/{{resource_plural}}", c.body); got.Code != c.want {
			t.Errorf("POST %s = %d, want %d", c.body, got.Code, c.want)
		}
	}
	if got := call(t, router, http.MethodGet, "/{{resource_plural}}/not-a-number", ""); got.Code != http.StatusNotFound {
		t.Errorf("GET bad id = %d", got.Code)
	}
}
)~";

constexpr const char* makefile = R"~(# {{name}}: make build, make test, make run{{#docker}}, make docker{{/docker}}.
PORT ?= 8080

.PHONY: build test run{{#docker}} docker{{/docker}}

build:
	go build -o bin/{{name}} .

test:
	go vet ./...
	go test ./...

run: build
	PORT=$(PORT) ./bin/{{name}}
{{#docker}}

docker:
	docker build -t {{name}}:dev .
{{/docker}}
)~";

}  // namespace

std::vector<devkit::Artifact> go_http_files(const ProjectSpec& spec) {
    const auto v = template_values(spec);
    std::vector<devkit::Artifact> files = {
        file("go.mod", go_mod, v),         file("main.go", main_go, v),       file("handlers.go", handlers_go, v),
        file("store.go", store_go, v),     file("open_store.go", open_store_go, v), file("Makefile", makefile, v),
    };
    if (spec.tests) files.push_back(file("handlers_test.go", handlers_test_go, v));
    if (spec.database != Database::none) {
        files.push_back(file("driver_" + database_name(spec.database) + ".go", driver_go, v));
    }
    return files;
}

}  // namespace scaffold
