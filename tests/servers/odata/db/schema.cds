namespace wb;

// A small case-management model, the kind of service process engines expose.
entity Users {
  key ID        : Integer;
      userName  : String(60);
      fullName  : String(100);
      email     : String(200);
      city      : String(60);
      active    : Boolean;
      createdAt : DateTime;
      cases     : Association to many Cases on cases.owner = $self;
}

entity Cases {
  key ID        : UUID;
      caseNo    : Integer;
      title     : String(200);
      status    : String(20);
      priority  : Integer;
      amount    : Decimal(11, 2);
      openedAt  : DateTime;
      dueDate   : Date;
      urgent    : Boolean;
      owner     : Association to Users;
      tasks     : Composition of many Tasks on tasks.![case] = $self;
}

entity Tasks {
  key ID        : Integer;
      ![case]   : Association to Cases;
      name      : String(100);
      done      : Boolean;
      effort    : Decimal(5, 1);
      assignee  : Association to Users;
}

// Labels on cases: a composite key (caseNo + code), a Double, a TimeOfDay and an enum-like
// String, so key access `Labels(caseNo=1001,code='bug')` and those literal types are exercised.
type LabelKind : String(10) enum { bug; feature; question; }

entity Labels {
  key caseNo : Integer;
  key code   : String(20);
      kind   : LabelKind;
      weight : Double;
      since  : Time;
}
