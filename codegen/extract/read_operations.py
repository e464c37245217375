"""The operation groups of the SDK, read from its source with `ast`.

Each ``operations/_<group>_operations.py`` has two halves that the generator keeps in
step: module-level ``build_<op>_request`` functions, which know the wire (method, path
template, path/query/header parameters with their constraints), and an
``<Group>Operations`` class whose public methods are what users call (Python names,
argument order, docs, success codes, response models, paging, long-running polling).
An operation is a public method joined to the build function it calls.
"""

import ast
import re

import docstrings

# The headers the SDK sets itself; they are not parameters of an operation.
_IMPLICIT_HEADERS = {"accept", "content-type"}
# The query parameter every request carries; recorded once in the description's source.
_API_VERSION = "api-version"


def _const(node):
    return ast.literal_eval(node)


def _keywords(call):
    """A call's keyword arguments as literals, e.g. {"max_length": 90, "min_length": 1}."""
    return {kw.arg: _const(kw.value) for kw in call.keywords}


def _is_call_to(node, attribute):
    """Whether `node` is a call like `_SERIALIZER.<attribute>(...)` or `x.<attribute>(...)`."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == attribute)


def _serializer_param(call, wire_name, required):
    """A parameter from `_SERIALIZER.query/header/url("py_name", py_name, "type", **rules)`."""
    py_name, _value, sdk_type = call.args
    return {
        "wire_name": wire_name,
        "name": _const(py_name),
        "type": _const(sdk_type),
        "required": required,
        "constraints": _keywords(call),
    }


def _statements(body, conditional=False):
    """Yields (statement, conditional) for every simple statement, entering `if` blocks.

    The build functions only set optional parameters inside `if x is not None:`, so a
    statement inside an `if` is what makes a parameter optional.
    """
    for stmt in body:
        if isinstance(stmt, ast.If):
            yield from _statements(stmt.body, True)
            yield from _statements(stmt.orelse, True)
        else:
            yield stmt, conditional


def _subscript_target(stmt, container):
    """For `container["key"] = value`, returns "key"; else None."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
        if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                and target.value.id == container):
            return _const(target.slice)
    return None


def _path_params(template, arguments):
    """Path parameters in the order they appear in the template."""
    by_wire = {}
    # `/providers/Microsoft.ApiManagement/operations` has no path parameters at all.
    for key, call in zip(arguments.keys, arguments.values) if arguments else ():
        by_wire[_const(key)] = _serializer_param(call, _const(key), True)
    return [by_wire[name] for name in re.findall(r"\{(\w+)\}", template)]


def _mark_client_params(path_params, parameters):
    """Says where each path value comes from: a method argument or the client.

    `subscription_id` is set once on the client, not passed to each method.
    """
    arguments = {p["name"] for p in parameters}
    for param in path_params:
        param["from_client"] = param["name"] not in arguments


def read_build_function(fn):
    """The wire side of one operation, from its `build_<op>_request` function."""
    request = {"function": fn.name, "query": [], "headers": [], "has_body": False}
    arguments = None
    for stmt, conditional in _statements(fn.body):
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if name == "_url" and _is_call_to(stmt.value, "pop"):
                request["path"] = _const(stmt.value.args[1])
            elif name == "path_format_arguments":
                arguments = stmt.value
            elif name == "accept" and _is_call_to(stmt.value, "pop"):
                # `accept = _headers.pop("Accept", "<media types>")`: what the answer may be.
                request["accept"] = _const(stmt.value.args[1])
        elif isinstance(stmt, ast.AnnAssign) and stmt.target.id == "content_type":
            # Only build functions of operations with a body accept a content type.
            request["has_body"] = True
        elif isinstance(stmt, ast.Return):
            method = next(kw.value for kw in stmt.value.keywords if kw.arg == "method")
            request["method"] = _const(method)
        query = _subscript_target(stmt, "_params")
        if query is not None and query != _API_VERSION:
            request["query"].append(_serializer_param(stmt.value, query, not conditional))
        header = _subscript_target(stmt, "_headers")
        if header is not None and header.lower() not in _IMPLICIT_HEADERS:
            request["headers"].append(_serializer_param(stmt.value, header, not conditional))
    request["path_params"] = _path_params(request["path"], arguments)
    return request


def _calls(node):
    """Every call in a function body, nested functions included."""
    return [n for n in ast.walk(node) if isinstance(n, ast.Call)]


def _called_name(call):
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _find_call(node, predicate):
    for call in _calls(node):
        name = _called_name(call)
        if name and predicate(name):
            return call
    return None


def _nested_function(node, name):
    for inner in ast.walk(node):
        if isinstance(inner, ast.FunctionDef) and inner.name == name:
            return inner
    return None


def _success_codes(node):
    """The codes in `if response.status_code not in [..]:`, the first answer's successes."""
    for compare in ast.walk(node):
        if (isinstance(compare, ast.Compare) and isinstance(compare.ops[0], ast.NotIn)
                and ast.unparse(compare.left) == "response.status_code"):
            return _const(compare.comparators[0])
    raise ValueError("no success codes")


def _status_condition(test):
    """For `if response.status_code == 202:`, returns 202; else None."""
    if (isinstance(test, ast.Compare) and isinstance(test.ops[0], ast.Eq)
            and ast.unparse(test.left) == "response.status_code"):
        return _const(test.comparators[0])
    return None


def _answers(node, codes):
    """Per success code, the model deserialized from the body and the headers read.

    The SDK reads some headers (and, in principle, bodies) only for one code, inside
    `if response.status_code == N:`; everything else applies to every success code.
    """
    answers = {code: {"model": None, "headers": []} for code in codes}

    def visit(body, only):
        for stmt in body:
            if isinstance(stmt, ast.If) and _status_condition(stmt.test) is not None:
                visit(stmt.body, _status_condition(stmt.test))
                continue
            header = _subscript_target(stmt, "response_headers")
            for call in _calls(stmt) if not isinstance(stmt, ast.FunctionDef) else []:
                if _called_name(call) != "_deserialize":
                    continue
                targets = [only] if only is not None else codes
                for code in targets:
                    if header is not None:
                        answers[code]["headers"].append(header)
                    elif ast.unparse(call.args[1]).startswith("pipeline_response"):
                        answers[code]["model"] = _const(call.args[0])

    visit(node.body, None)
    return {str(code): answer for code, answer in answers.items()}


def _paging(method):
    """For an `ItemPaged` method: the page model, its item and next-link fields."""
    extract = _nested_function(method, "extract_data")
    page_model = _const(_find_call(extract, lambda n: n == "_deserialize").args[0])
    source = ast.unparse(extract)
    items = re.search(r"list_of_elem = deserialized\.(\w+)", source).group(1)
    next_link = re.search(r"return deserialized\.(\w+) or None", source)
    return {
        "page_model": page_model,
        "item_field": items,
        # A few lists come in one page: the SDK then never follows a next link.
        "next_link_field": next_link.group(1) if next_link else None,
    }


def _final_state_via(method):
    for node in ast.walk(method):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == "final-state-via":
                    return _const(value)
    return None


def _long_running(method):
    """For a `begin_*` method: polling options and the final answer's model."""
    output = _nested_function(method, "get_long_running_output")
    body_models = [c for c in _calls(output) if _called_name(c) == "_deserialize"
                   and ast.unparse(c.args[1]).startswith("pipeline_response")]
    headers = [_subscript_target(s, "response_headers") for s in ast.walk(output)]
    return {
        "final_state_via": _final_state_via(method),
        "final_model": _const(body_models[0].args[0]) if body_models else None,
        "final_headers": [h for h in headers if h is not None],
    }


def _parameters(method):
    """The public method's parameters: positional first, then keyword-only (no **kwargs)."""
    args = method.args
    positional = args.args[1:]  # without self
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    params = []
    for arg, default in zip(positional, defaults):
        params.append(_parameter(arg, default, "positional"))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        params.append(_parameter(arg, default, "keyword"))
    return params


def _parameter(arg, default, kind):
    return {
        "name": arg.arg,
        "kind": kind,
        "annotation": ast.unparse(arg.annotation) if arg.annotation else None,
        "required": default is None,
        "default": None if default is None else _const(default),
    }


def _body(method):
    """The body parameter, from `self._serialize.body(<param>, "<Model>")`."""
    call = _find_call(method, lambda n: n == "body")
    if call is None:
        return None
    return {"name": call.args[0].id, "model": _const(call.args[1])}


def _content_type(method):
    """The default content type, from `content_type = content_type or "..."`."""
    for node in ast.walk(method):
        if (isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "content_type"
                and isinstance(node.value, ast.BoolOp)):
            return _const(node.value.values[-1])
    return None


def operation_id(class_name, method_name):
    """The REST operationId, rebuilt from the names the SDK generator derived from it.

    The generator turns `Group_VerbNoun` into class `GroupOperations` and method
    `verb_noun`; this goes back. Mixin operations (methods on the client itself) have
    no group prefix. Casing of acronyms (`Sso` vs `SSO`) cannot be recovered.
    """
    verb = "".join(part[:1].upper() + part[1:] for part in method_name.split("_"))
    if class_name.endswith("OperationsMixin"):
        return verb
    return class_name.removesuffix("Operations") + "_" + verb


def read_operation(class_name, method, helpers, builders):
    """One public method of an operation group, joined to its build function."""
    name = method.name.removeprefix("begin_")
    long_running = method.name.startswith("begin_")
    # A long-running method sends its first request from `_<name>_initial`.
    first = helpers[f"_{name}_initial"] if long_running else method
    build_call = _find_call(first, lambda n: n.startswith("build_") and n.endswith("_request"))
    request = read_build_function(builders[_called_name(build_call)])
    doc = ast.get_docstring(method, clean=False)
    codes = _success_codes(first)
    paged = "ItemPaged" in {_called_name(c) for c in _calls(method)}
    body = _body(first)
    if body:
        body["content_type"] = _content_type(first)
    annotations = {p["name"]: p for p in _parameters(method)}
    _mark_client_params(request["path_params"], _parameters(method))
    if body:
        body["required"] = annotations[body["name"]]["required"]
    return {
        "name": name,
        "python_name": method.name,
        "operation_id": operation_id(class_name, name),
        "summary": docstrings.summary(doc),
        "param_docs": docstrings.named(doc, "param") | docstrings.named(doc, "keyword"),
        "returns": ast.unparse(method.returns) if method.returns else None,
        "parameters": _parameters(method),
        "request": request,
        "body": body,
        "success_codes": codes,
        # For long-running operations these are the first (initial) answer's; its body
        # is not read, the final model is under "long_running".
        "responses": _answers(first, codes),
        "paged": _paging(method) if paged else None,
        "long_running": _long_running(method) if long_running else None,
    }


def _public_methods(cls):
    """Each public method once: the implementation, which follows its `@overload`s."""
    methods = {}
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef) and not stmt.name.startswith("_"):
            methods[stmt.name] = stmt  # the last definition wins, as in Python
    return methods


def _overload_counts(cls):
    counts = {}
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef) and any(
            ast.unparse(d) == "overload" for d in stmt.decorator_list
        ):
            counts[stmt.name] = counts.get(stmt.name, 0) + 1
    return counts


def read_operations_module(source):
    """The operation classes of one module: {class name: [operations]}."""
    tree = ast.parse(source)
    builders = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    groups = {}
    for cls in (c for c in tree.body if isinstance(c, ast.ClassDef)):
        helpers = {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)}
        overloads = _overload_counts(cls)
        operations = []
        for method in _public_methods(cls).values():
            operation = read_operation(cls.name, method, helpers, builders)
            operation["overloads"] = overloads.get(method.name, 0)
            operations.append(operation)
        groups[cls.name] = {"doc": docstrings.summary(ast.get_docstring(cls, clean=False)),
                            "operations": operations}
    return groups


def read_client_attributes(source):
    """{class name: client attribute} from `self.backend = BackendOperations(...)`."""
    attributes = {}
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id.endswith("Operations")):
            target = node.targets[0]
            if isinstance(target, ast.Attribute) and ast.unparse(target.value) == "self":
                attributes[node.value.func.id] = target.attr
    return attributes
