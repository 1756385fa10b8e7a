package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/auth"
)

// UserDTO is a user as the Admin API shows it; the password hash never leaves the server.
type UserDTO struct {
	ID        uuid.UUID `json:"id" example:"01936f0e-8a3c-7c5e-9a1b-2f4d6e8a0b1c"`
	Email     string    `json:"email" example:"editor@example.com"`
	Name      string    `json:"name" example:"Aysel Mammadova"`
	Role      string    `json:"role" enums:"admin,editor,author" example:"editor"`
	Active    bool      `json:"active" example:"true"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
} //	@name	User

// UserList is one page of users.
type UserList struct {
	Data []UserDTO `json:"data"`
	Meta ListMeta  `json:"meta"`
} //	@name	UserList

// CreateUserRequest is the body of POST /admin/users.
type CreateUserRequest struct {
	Email    string `json:"email" example:"author@example.com"`
	Name     string `json:"name" example:"Rashad Aliyev"`
	Role     string `json:"role" enums:"admin,editor,author" example:"author"`
	Password string `json:"password" example:"a long initial passphrase"`
	// Active defaults to true.
	Active *bool `json:"active,omitempty" example:"true"`
} //	@name	CreateUserRequest

// UpdateUserRequest is the body of PATCH /admin/users/{id}; absent fields stay as they are.
type UpdateUserRequest struct {
	Name   *string `json:"name,omitempty" example:"Rashad Aliyev"`
	Role   *string `json:"role,omitempty" enums:"admin,editor,author" example:"editor"`
	Active *bool   `json:"active,omitempty" example:"false"`
} //	@name	UpdateUserRequest

// PasswordResetRequest is the body of PUT /admin/users/{id}/password.
type PasswordResetRequest struct {
	Password string `json:"password" example:"a new long passphrase"`
} //	@name	PasswordResetRequest

func newUserDTO(u auth.User) UserDTO {
	return UserDTO{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Active: u.Active,
		CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

// userIDParam parses the :id path parameter; junk is 404 without touching the database.
func userIDParam(c echo.Context) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return uuid.Nil, auth.ErrNotFound
	}
	return id, nil
}

// listUsers godoc
//
//	@Summary		List users
//	@Description	Oldest first. Admins only.
//	@Tags			users
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			role		query		string	false	"Only this role"	Enums(admin, editor, author)
//	@Param			active		query		boolean	false	"Only active (true) or inactive (false) users"
//	@Param			q			query		string	false	"Substring of the email or name"
//	@Param			page		query		integer	false	"Page number"		minimum(1)	default(1)
//	@Param			per_page	query		integer	false	"Items per page"	minimum(1)	maximum(100)	default(20)
//	@Success		200			{object}	UserList
//	@Header			200			{integer}	X-Total-Count	"Total matches"
//	@Failure		400			{object}	Problem			"Invalid parameter"
//	@Failure		401			{object}	Problem			"Missing, invalid or expired token"
//	@Failure		403			{object}	Problem			"Not an admin"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/users [get]
func (s *Server) listUsers(c echo.Context) error {
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", 20, 1, auth.MaxPerPage)
	active := qe.boolParam(c, "active")
	q := qe.textParam(c, "q", 254)
	role := auth.Role(c.QueryParam("role"))
	if role != "" && !role.Valid() {
		qe.add("role", "must be one of admin, editor, author")
	}
	if err := qe.err(); err != nil {
		return err
	}
	users, total, err := s.auth.ListUsers(c.Request().Context(), auth.UserQuery{Role: role, Active: active, Q: q,
		Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	out := UserList{Data: make([]UserDTO, len(users)), Meta: ListMeta{Page: page, PerPage: perPage}}
	for i, u := range users {
		out.Data[i] = newUserDTO(u)
	}
	setPageMeta(c, &out.Meta, total, page, perPage)
	return c.JSON(http.StatusOK, out)
}

// getUser godoc
//
//	@Summary	Get one user
//	@Tags		users
//	@Produce	json
//	@Security	BearerAuth
//	@Security	APITokenAuth
//	@Param		id	path		string	true	"User id"
//	@Success	200	{object}	UserDTO
//	@Failure	401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure	403	{object}	Problem	"Not an admin"
//	@Failure	404	{object}	Problem	"No such user"
//	@Failure	500	{object}	Problem
//	@Router		/api/v1/admin/users/{id} [get]
func (s *Server) getUser(c echo.Context) error {
	id, err := userIDParam(c)
	if err != nil {
		return err
	}
	u, err := s.auth.User(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newUserDTO(u))
}

// createUser godoc
//
//	@Summary		Create a user
//	@Description	Admins only. The email must be unused; the password at least 10 characters.
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body		CreateUserRequest	true	"The new user"
//	@Success		201		{object}	UserDTO
//	@Header			201		{string}	Location	"URL of the new user"
//	@Failure		400		{object}	Problem		"Invalid field"
//	@Failure		401		{object}	Problem		"Missing, invalid or expired token"
//	@Failure		403		{object}	Problem		"Not an admin"
//	@Failure		409		{object}	Problem		"Email already used"
//	@Failure		413		{object}	Problem		"Body too large"
//	@Failure		415		{object}	Problem		"Body is not JSON"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/users [post]
func (s *Server) createUser(c echo.Context) error {
	var req CreateUserRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := s.auth.CreateUser(c.Request().Context(), auth.NewUser{Email: req.Email, Name: req.Name,
		Role: auth.Role(req.Role), Password: req.Password, Inactive: req.Active != nil && !*req.Active})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/admin/users/"+u.ID.String())
	return c.JSON(http.StatusCreated, newUserDTO(u))
}

// updateUser godoc
//
//	@Summary		Update a user's name, role or active flag
//	@Description	Admins only. Absent fields stay as they are. The last active admin cannot be demoted or deactivated (409). A deactivated user's tokens stop working at once.
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path		string				true	"User id"
//	@Param			body	body		UpdateUserRequest	true	"Fields to change"
//	@Success		200		{object}	UserDTO
//	@Failure		400		{object}	Problem	"Invalid field"
//	@Failure		401		{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403		{object}	Problem	"Not an admin"
//	@Failure		404		{object}	Problem	"No such user"
//	@Failure		409		{object}	Problem	"Would leave no active admin"
//	@Failure		415		{object}	Problem	"Body is not JSON"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/users/{id} [patch]
func (s *Server) updateUser(c echo.Context) error {
	id, err := userIDParam(c)
	if err != nil {
		return err
	}
	var req UpdateUserRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	patch := auth.UserPatch{Name: req.Name, Active: req.Active}
	if req.Role != nil {
		r := auth.Role(*req.Role)
		patch.Role = &r
	}
	_, after, err := s.auth.UpdateUser(c.Request().Context(), id, patch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newUserDTO(after))
}

// resetPassword godoc
//
//	@Summary		Reset a user's password
//	@Description	Admins only. Every token the user holds stops working.
//	@Tags			users
//	@Accept			json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path	string					true	"User id"
//	@Param			body	body	PasswordResetRequest	true	"The new password"
//	@Success		204
//	@Failure		400	{object}	Problem	"Weak password"
//	@Failure		401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403	{object}	Problem	"Not an admin"
//	@Failure		404	{object}	Problem	"No such user"
//	@Failure		415	{object}	Problem	"Body is not JSON"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/users/{id}/password [put]
func (s *Server) resetPassword(c echo.Context) error {
	id, err := userIDParam(c)
	if err != nil {
		return err
	}
	var req PasswordResetRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.auth.ResetPassword(c.Request().Context(), id, req.Password); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
